/**
 * The documents a task produces when it starts (an item's `documents:`): asked of the plan
 * workflow, which knows the schools, the people and every task's state; then numbered,
 * rendered and registered once, so a retried activity gets the same documents back.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { DocumentDataError, TemplateError } from '../documents/document-errors.ts';
import { issuePlanDocuments, type DocumentOffice } from '../documents/issue-documents.ts';
import type { IsoDate } from '../plan/dates.ts';
import { TEMPLATES } from '../templates/documents/catalog.ts';
import { taskDocumentsQuery } from '../workflows/messages.ts';
import { DocumentFailure, type DocumentActivities, type TaskDocument } from '../workflows/task-workflow.ts';

export function createDocumentActivities(deps: { client: Client; office: DocumentOffice }): DocumentActivities {
  return {
    async issueTaskDocuments({ planWorkflowId, task, asOf }: { planWorkflowId: string; task: string; asOf: IsoDate }): Promise<TaskDocument[]> {
      const plan = await deps.client.workflow.getHandle(planWorkflowId).query(taskDocumentsQuery, { task, asOf });
      if (!plan.ok) throw refused(plan.problems);
      let issued;
      try {
        issued = await issuePlanDocuments(deps.office, plan, plan.orders, asOf);
      } catch (error) {
        if (error instanceof DocumentDataError) throw refused(error.problems.map((problem) => `${problem.field}: ${problem.message}`));
        if (error instanceof TemplateError) throw refused(error.problems.map((problem) => `${error.template}, ${problem.place}: ${problem.message}`));
        throw error;
      }
      return issued.map((document) => ({
        template: document.template,
        title: TEMPLATES[document.template].title,
        number: document.number,
        date: document.date,
        fileName: document.fileName,
        path: document.path,
        sha256: document.sha256,
        recipients: plan.orders.find((order) => order.key === document.key)?.recipients ?? [],
      }));
    },
  };
}

/** Data or a template that retrying cannot mend: the task goes on without its documents, and says why. */
function refused(problems: string[]): ApplicationFailure {
  return ApplicationFailure.create({ type: DocumentFailure.refused, nonRetryable: true, message: `документы не подготовлены: ${problems.join('; ')}` });
}
