import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122154718_identity } from './Migration20261122154718_identity';
import { Migration20261202025434_identity_scopes } from './Migration20261202025434_identity_scopes';
import { Migration20261202034457_mutation_audit } from './Migration20261202034457_mutation_audit';
import { Migration20261202050000_person_area } from './Migration20261202050000_person_area';
import { Migration20261122140115_initial } from './Migration20261122140115_initial';
import { Migration20261122143309_closed_loop } from './Migration20261122143309_closed_loop';
import { Migration20261122145537_service_data } from './Migration20261122145537_service_data';
import { Migration20261123090000_demand_rollups } from './Migration20261123090000_demand_rollups';
import { Migration20261202060000_projects } from './Migration20261202060000_projects';
import { Migration20261203100000_service_daily_close_seconds } from './Migration20261203100000_service_daily_close_seconds';
import { Migration20261203110000_list_item_source_request_unique } from './Migration20261203110000_list_item_source_request_unique';
import { Migration20261203130000_free_text_masked_columns } from './Migration20261203130000_free_text_masked_columns';
import { Migration20261203150000_free_text_masks_grouped_numbers } from './Migration20261203150000_free_text_masks_grouped_numbers';
import { Migration20261203160000_demand_evidence_demands_only } from './Migration20261203160000_demand_evidence_demands_only';
import { Migration20261204100000_free_text_masks_cards_unit_address } from './Migration20261204100000_free_text_masks_cards_unit_address';
import { Migration20261204200000_sign_in_lockout_token_families } from './Migration20261204200000_sign_in_lockout_token_families';
import { Migration20261204210000_account_session_version } from './Migration20261204210000_account_session_version';
import { Migration20261204230000_import_run_interrupted } from './Migration20261204230000_import_run_interrupted';
import { Migration20261205000000_sign_in_devices } from './Migration20261205000000_sign_in_devices';
import { Migration20261206100000_free_text_masks_names } from './Migration20261206100000_free_text_masks_names';
import { Migration20261207100000_free_text_masks_chained_names_local_numbers } from './Migration20261207100000_free_text_masks_chained_names_local_numbers';
import { Migration20261208100000_sign_in_device_last_used } from './Migration20261208100000_sign_in_device_last_used';
import { Migration20261209100000_refresh_token_device } from './Migration20261209100000_refresh_token_device';
import { Migration20261209200000_work_calendar } from './Migration20261209200000_work_calendar';
import { Migration20261210100000_free_text_masks_doors_grouped_numbers } from './Migration20261210100000_free_text_masks_doors_grouped_numbers';
import { Migration20261211100000_project_resources } from './Migration20261211100000_project_resources';
import { Migration20261218100000_work_calendar_adjustments } from './Migration20261218100000_work_calendar_adjustments';
import { Migration20261219100000_free_text_masks_other_digit_forms } from './Migration20261219100000_free_text_masks_other_digit_forms';
import { Migration20261221100000_service_record_received_brin } from './Migration20261221100000_service_record_received_brin';
import { Migration20261222100000_free_text_masks_merged } from './Migration20261222100000_free_text_masks_merged';
import { Migration20261223100000_account_username_lower_unique } from './Migration20261223100000_account_username_lower_unique';
import { Migration20261224100000_free_text_masks_numeral_forms } from './Migration20261224100000_free_text_masks_numeral_forms';
import { Migration20261225100000_free_text_masks_personal_cues } from './Migration20261225100000_free_text_masks_personal_cues';
import { Migration20261226100000_money_resources_metered } from './Migration20261226100000_money_resources_metered';
import { Migration20261227100000_free_text_masks_border_plates } from './Migration20261227100000_free_text_masks_border_plates';

/**
 * Every migration, oldest first. `npm run migrate -- create` writes a new file here;
 * add it to this list (a unit test fails when a file is missing from it).
 */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261122140115_initial', class: Migration20261122140115_initial },
  { name: 'Migration20261122143309_closed_loop', class: Migration20261122143309_closed_loop },
  { name: 'Migration20261122145537_service_data', class: Migration20261122145537_service_data },
  { name: 'Migration20261122154718_identity', class: Migration20261122154718_identity },
  { name: 'Migration20261123090000_demand_rollups', class: Migration20261123090000_demand_rollups },
  { name: 'Migration20261202025434_identity_scopes', class: Migration20261202025434_identity_scopes },
  { name: 'Migration20261202034457_mutation_audit', class: Migration20261202034457_mutation_audit },
  { name: 'Migration20261202050000_person_area', class: Migration20261202050000_person_area },
  { name: 'Migration20261202060000_projects', class: Migration20261202060000_projects },
  { name: 'Migration20261203100000_service_daily_close_seconds', class: Migration20261203100000_service_daily_close_seconds },
  { name: 'Migration20261203110000_list_item_source_request_unique', class: Migration20261203110000_list_item_source_request_unique },
  { name: 'Migration20261203130000_free_text_masked_columns', class: Migration20261203130000_free_text_masked_columns },
  { name: 'Migration20261203150000_free_text_masks_grouped_numbers', class: Migration20261203150000_free_text_masks_grouped_numbers },
  { name: 'Migration20261203160000_demand_evidence_demands_only', class: Migration20261203160000_demand_evidence_demands_only },
  { name: 'Migration20261204100000_free_text_masks_cards_unit_address', class: Migration20261204100000_free_text_masks_cards_unit_address },
  { name: 'Migration20261204200000_sign_in_lockout_token_families', class: Migration20261204200000_sign_in_lockout_token_families },
  { name: 'Migration20261204210000_account_session_version', class: Migration20261204210000_account_session_version },
  { name: 'Migration20261204230000_import_run_interrupted', class: Migration20261204230000_import_run_interrupted },
  { name: 'Migration20261205000000_sign_in_devices', class: Migration20261205000000_sign_in_devices },
  { name: 'Migration20261206100000_free_text_masks_names', class: Migration20261206100000_free_text_masks_names },
  { name: 'Migration20261207100000_free_text_masks_chained_names_local_numbers', class: Migration20261207100000_free_text_masks_chained_names_local_numbers },
  { name: 'Migration20261208100000_sign_in_device_last_used', class: Migration20261208100000_sign_in_device_last_used },
  { name: 'Migration20261209100000_refresh_token_device', class: Migration20261209100000_refresh_token_device },
  { name: 'Migration20261209200000_work_calendar', class: Migration20261209200000_work_calendar },
  { name: 'Migration20261210100000_free_text_masks_doors_grouped_numbers', class: Migration20261210100000_free_text_masks_doors_grouped_numbers },
  { name: 'Migration20261211100000_project_resources', class: Migration20261211100000_project_resources },
  { name: 'Migration20261218100000_work_calendar_adjustments', class: Migration20261218100000_work_calendar_adjustments },
  { name: 'Migration20261219100000_free_text_masks_other_digit_forms', class: Migration20261219100000_free_text_masks_other_digit_forms },
  { name: 'Migration20261221100000_service_record_received_brin', class: Migration20261221100000_service_record_received_brin },
  { name: 'Migration20261222100000_free_text_masks_merged', class: Migration20261222100000_free_text_masks_merged },
  { name: 'Migration20261223100000_account_username_lower_unique', class: Migration20261223100000_account_username_lower_unique },
  { name: 'Migration20261224100000_free_text_masks_numeral_forms', class: Migration20261224100000_free_text_masks_numeral_forms },
  { name: 'Migration20261225100000_free_text_masks_personal_cues', class: Migration20261225100000_free_text_masks_personal_cues },
  { name: 'Migration20261226100000_money_resources_metered', class: Migration20261226100000_money_resources_metered },
  { name: 'Migration20261227100000_free_text_masks_border_plates', class: Migration20261227100000_free_text_masks_border_plates },
];
