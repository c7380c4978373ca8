import { Migration } from '@mikro-orm/migrations';

/**
 * refresh_token.device_id: the remembered sign-in device a session was started on, so that
 * forgetting the device (forgetSignInDevice, "a lost phone") ends the sessions open on it, not
 * only its device token. Sessions started before this migration name no device and live on
 * until their own end, as sessions on a device never remembered do.
 */
export class Migration20261209100000_refresh_token_device extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "refresh_token" add column "device_id" int null;`);
    this.addSql(`create index "refresh_token_device_id_index" on "refresh_token" ("device_id");`);
    this.addSql(`alter table "refresh_token" add constraint "refresh_token_device_id_foreign" foreign key ("device_id") references "sign_in_device" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "refresh_token" drop constraint "refresh_token_device_id_foreign";`);
    this.addSql(`alter table "refresh_token" drop column "device_id";`);
  }
}
