import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126005918 } from './Migration20261126005918';
import { Migration20261126020000_pipeline } from './Migration20261126020000_pipeline';
import { Migration20261126030000_identity } from './Migration20261126030000_identity';
import { Migration20261126040000_notifications } from './Migration20261126040000_notifications';
import { Migration20261126050000_delivery } from './Migration20261126050000_delivery';
import { Migration20261126060000_escalation } from './Migration20261126060000_escalation';
import { Migration20261126070000_hardening } from './Migration20261126070000_hardening';
import { Migration20261126080000_reports } from './Migration20261126080000_reports';
import { Migration20261126090000_rankings } from './Migration20261126090000_rankings';
import { Migration20261126093000_one_archive } from './Migration20261126093000_one_archive';
import { Migration20261126100000_sales_days } from './Migration20261126100000_sales_days';
import { Migration20261126110000_customer_month_bounds } from './Migration20261126110000_customer_month_bounds';
import { Migration20261126120000_status_list_index } from './Migration20261126120000_status_list_index';
import { Migration20261126130000_millisecond_times } from './Migration20261126130000_millisecond_times';
import { Migration20261126140000_list_indexes } from './Migration20261126140000_list_indexes';
import { Migration20261204100000_sessions } from './Migration20261204100000_sessions';
import { Migration20261204101000_known_devices } from './Migration20261204101000_known_devices';
import { Migration20261204102000_archive_seal } from './Migration20261204102000_archive_seal';
import { Migration20261204400000_assignment } from './Migration20261204400000_assignment';
import { Migration20261204200000_outbox } from './Migration20261204200000_outbox';
import { Migration20261204500000_shipments } from './Migration20261204500000_shipments';
import { Migration20261204510000_saved_views } from './Migration20261204510000_saved_views';
import { Migration20261204520000_delegation } from './Migration20261204520000_delegation';
import { Migration20261204600000_returns } from './Migration20261204600000_returns';
import { Migration20261204800000_inbound_mail } from './Migration20261204800000_inbound_mail';
import { Migration20261204700000_order_intake } from './Migration20261204700000_order_intake';
import { Migration20261204900000_locations } from './Migration20261204900000_locations';
import { Migration20261204910000_invoices_issued_in_pipeline } from './Migration20261204910000_invoices_issued_in_pipeline';
import { Migration20261205000000_delivery_policy } from './Migration20261205000000_delivery_policy';
import { Migration20261205033000_order_message_notice } from './Migration20261205033000_order_message_notice';
import { Migration20261205053000_assignment_rules } from './Migration20261205053000_assignment_rules';
import { Migration20261205060000_integration_events } from './Migration20261205060000_integration_events';
import { Migration20261205100000_quotes } from './Migration20261205100000_quotes';
import { Migration20261205100000_return_assignments } from './Migration20261205100000_return_assignments';
import { Migration20261205110000_return_escalation } from './Migration20261205110000_return_escalation';
import { Migration20261206010000_inbound_sender_rate } from './Migration20261206010000_inbound_sender_rate';
import { Migration20261206020000_shipment_notice } from './Migration20261206020000_shipment_notice';
import { Migration20261206030000_return_notice } from './Migration20261206030000_return_notice';
import { Migration20261206030500_inbound_attachments } from './Migration20261206030500_inbound_attachments';
import { Migration20261206040000_location_preference } from './Migration20261206040000_location_preference';
import { Migration20261206051500_shipping_reports } from './Migration20261206051500_shipping_reports';
import { Migration20261207010000_reservations_at_locations } from './Migration20261207010000_reservations_at_locations';
import { Migration20261207170000_order_archive_queue } from './Migration20261207170000_order_archive_queue';

/** Every migration in order; listed explicitly so compiled and bundled builds find them without globbing. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261126005918', class: Migration20261126005918 },
  { name: 'Migration20261126020000_pipeline', class: Migration20261126020000_pipeline },
  { name: 'Migration20261126030000_identity', class: Migration20261126030000_identity },
  { name: 'Migration20261126040000_notifications', class: Migration20261126040000_notifications },
  { name: 'Migration20261126050000_delivery', class: Migration20261126050000_delivery },
  { name: 'Migration20261126060000_escalation', class: Migration20261126060000_escalation },
  { name: 'Migration20261126070000_hardening', class: Migration20261126070000_hardening },
  { name: 'Migration20261126080000_reports', class: Migration20261126080000_reports },
  { name: 'Migration20261126090000_rankings', class: Migration20261126090000_rankings },
  { name: 'Migration20261126093000_one_archive', class: Migration20261126093000_one_archive },
  { name: 'Migration20261126100000_sales_days', class: Migration20261126100000_sales_days },
  {
    name: 'Migration20261126110000_customer_month_bounds',
    class: Migration20261126110000_customer_month_bounds,
  },
  { name: 'Migration20261126120000_status_list_index', class: Migration20261126120000_status_list_index },
  { name: 'Migration20261126130000_millisecond_times', class: Migration20261126130000_millisecond_times },
  {
    name: 'Migration20261126140000_list_indexes',
    class: Migration20261126140000_list_indexes,
  },
  { name: 'Migration20261204100000_sessions', class: Migration20261204100000_sessions },
  { name: 'Migration20261204101000_known_devices', class: Migration20261204101000_known_devices },
  { name: 'Migration20261204102000_archive_seal', class: Migration20261204102000_archive_seal },
  { name: 'Migration20261204400000_assignment', class: Migration20261204400000_assignment },
  { name: 'Migration20261204200000_outbox', class: Migration20261204200000_outbox },
  { name: 'Migration20261204500000_shipments', class: Migration20261204500000_shipments },
  { name: 'Migration20261204510000_saved_views', class: Migration20261204510000_saved_views },
  { name: 'Migration20261204520000_delegation', class: Migration20261204520000_delegation },
  { name: 'Migration20261204600000_returns', class: Migration20261204600000_returns },
  { name: 'Migration20261204700000_order_intake', class: Migration20261204700000_order_intake },
  { name: 'Migration20261204800000_inbound_mail', class: Migration20261204800000_inbound_mail },
  { name: 'Migration20261204900000_locations', class: Migration20261204900000_locations },
  {
    name: 'Migration20261204910000_invoices_issued_in_pipeline',
    class: Migration20261204910000_invoices_issued_in_pipeline,
  },
  { name: 'Migration20261205000000_delivery_policy', class: Migration20261205000000_delivery_policy },
  {
    name: 'Migration20261205033000_order_message_notice',
    class: Migration20261205033000_order_message_notice,
  },
  { name: 'Migration20261205053000_assignment_rules', class: Migration20261205053000_assignment_rules },
  {
    name: 'Migration20261205060000_integration_events',
    class: Migration20261205060000_integration_events,
  },
  { name: 'Migration20261205100000_quotes', class: Migration20261205100000_quotes },
  {
    name: 'Migration20261205100000_return_assignments',
    class: Migration20261205100000_return_assignments,
  },
  { name: 'Migration20261205110000_return_escalation', class: Migration20261205110000_return_escalation },
  { name: 'Migration20261206010000_inbound_sender_rate', class: Migration20261206010000_inbound_sender_rate },
  { name: 'Migration20261206020000_shipment_notice', class: Migration20261206020000_shipment_notice },
  { name: 'Migration20261206030000_return_notice', class: Migration20261206030000_return_notice },
  {
    name: 'Migration20261206030500_inbound_attachments',
    class: Migration20261206030500_inbound_attachments,
  },
  {
    name: 'Migration20261206040000_location_preference',
    class: Migration20261206040000_location_preference,
  },
  { name: 'Migration20261206051500_shipping_reports', class: Migration20261206051500_shipping_reports },
  {
    name: 'Migration20261207010000_reservations_at_locations',
    class: Migration20261207010000_reservations_at_locations,
  },
  { name: 'Migration20261207170000_order_archive_queue', class: Migration20261207170000_order_archive_queue },
];
