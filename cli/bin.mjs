#!/usr/bin/env node
// The installed `plangraf` command: runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import(new URL('./main.ts', import.meta.url).href);
process.exitCode = await runCli(process.argv.slice(2));
