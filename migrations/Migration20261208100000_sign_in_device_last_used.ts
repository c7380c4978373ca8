import { Migration } from '@mikro-orm/migrations';

/**
 * sign_in_device.last_used_at: when the device last proved the password (it was remembered, or its
 * token presented with the right password). updated_at could not say it: a wrong password with the
 * token moves it too, and it is the wall clock of the write. The cap of devices per account evicts
 * by it, and administrators see it. Every token so far was issued at its last use, 90 days before
 * its expiry (SIGN_IN_DEVICES.days), so that is where existing rows start.
 */
export class Migration20261208100000_sign_in_device_last_used extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "sign_in_device" add column "last_used_at" timestamptz null;`);
    this.addSql(`update "sign_in_device" set "last_used_at" = "expires_at" - interval '90 days';`);
    this.addSql(`alter table "sign_in_device" alter column "last_used_at" set not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sign_in_device" drop column "last_used_at";`);
  }
}
