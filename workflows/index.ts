/** Entry point the worker bundles into the workflow sandbox. */
export { orderWorkflow } from './order.workflow';
export { deliveryWorkflow } from './delivery.workflow';
export { notificationDigestWorkflow } from './digest.workflow';
export { scheduledBackupWorkflow } from './backup.workflow';
export { orderArchiveWorkflow, returnArchiveWorkflow } from './archive.workflow';
export { escalationRolloutWorkflow } from './escalation.rollout';
export { returnWorkflow } from './return.workflow';
export { quoteExpiryWorkflow } from './quote.workflow';
