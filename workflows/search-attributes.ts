/** The custom search attributes plangraf's workflows are indexed by (registered when the dev server starts). */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const PlanAttribute = defineSearchAttributeKey('PlangrafPlan', SearchAttributeType.KEYWORD);
export const ExecutorAttribute = defineSearchAttributeKey('PlangrafExecutor', SearchAttributeType.KEYWORD);
export const DueAttribute = defineSearchAttributeKey('PlangrafDue', SearchAttributeType.DATETIME);
export const StatusAttribute = defineSearchAttributeKey('PlangrafStatus', SearchAttributeType.KEYWORD);

/** `--search-attribute` arguments for `temporal server start-dev`. */
export const SEARCH_ATTRIBUTE_FLAGS = ['PlangrafPlan=Keyword', 'PlangrafExecutor=Keyword', 'PlangrafDue=Datetime', 'PlangrafStatus=Keyword'];
