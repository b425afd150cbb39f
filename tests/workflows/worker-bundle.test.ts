/**
 * The workflow bundle as the workers, the simulation and the tests build it
 * (`WORKFLOW_BUNDLER_OPTIONS` in `worker-bundle.ts`): plangraf's TypeScript compiled for the Node
 * the workers run. What the workflows do with it is what every other
 * workflow test runs; here, what the compiler made of the code.
 */
import { describe, expect, it } from 'vitest';
import { compileForNode } from '../../worker-bundle.ts';
import { workflowBundle } from '../support/temporal.ts';

describe('the workflow bundle', () => {
  it('keeps plangraf’s object spreads native instead of the ES2017 helpers that copy key by key', async () => {
    const { code } = await workflowBundle();
    // The task workflow is in it, with its spreads as written.
    expect(code).toContain('async function taskWorkflow(input)');
    expect(code).toMatch(/\{\s*\.\.\.kept,\s*carried: carry\(\)\s*\}/);
    expect(code).not.toMatch(/function _object_spread(_props)?\(/);
  }, 120_000);

  it('leaves a configuration without the SDK’s TypeScript rule as it is', () => {
    const config = { module: { rules: [{ test: /\.js$/, use: ['source-map-loader'] }, '...' as const] } };
    expect(compileForNode(structuredClone({ module: { rules: [] } }))).toEqual({ module: { rules: [] } });
    expect(compileForNode(config)).toBe(config);
    expect(config.module.rules[0]).toEqual({ test: /\.js$/, use: ['source-map-loader'] });
  });

  it('sets the target of the SDK’s swc rule', () => {
    const rule = { test: /\.ts$/, use: { loader: '/x/node_modules/swc-loader/src/index.js', options: { sourceMap: true, jsc: { target: 'es2017', parser: { syntax: 'typescript' } } } } };
    compileForNode({ module: { rules: [rule] } });
    expect(rule.use.options.jsc).toEqual({ target: 'es2022', parser: { syntax: 'typescript' } });
  });
});
