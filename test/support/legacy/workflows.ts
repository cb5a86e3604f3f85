/**
 * The workflow code as deployed before the lean rewrite: the frozen order workflow under the order
 * workflow's name, for a worker that plays the old deployment in the upgrade test.
 */
export { orderWorkflowV1 as orderWorkflow } from '../../../workflows/legacy/v1/order.workflow';
export { deliveryWorkflow } from '../../../workflows/delivery.workflow';
export { scheduledBackupWorkflow } from '../../../workflows/backup.workflow';
