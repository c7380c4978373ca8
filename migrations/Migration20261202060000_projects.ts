import { Migration } from '@mikro-orm/migrations';

/**
 * The seed catalogue of project templates: typical community livelihood projects with costs in
 * yuan at Chinese community prices (2024-2026), within the Shenzhen caps (SERVICE and GOODS at most
 * 500,000, WORKS at most 1,000,000). Category sets do not overlap, so two selected projects never
 * count the same demand. Needs: VENUE in m² saving a year's rent (~900 yuan/m²), STAFF_HOURS at
 * volunteer, care-worker or doctors' rates, EXPERTISE at professional design/legal/engineering rates,
 * GOODS per piece, MONEY in yuan. ρ is higher for works that remove a cause (lights, drainage).
 * A literal copy: later changes to templates go through the API, never through this file.
 */
type Need = [kind: string, quantity: number, unitValue: number, note: string];
type Seed = [code: string, name: string, description: string, kind: string, cost: number, categories: string[], groups: string[], needs: Need[], rho: number, rule: string, factor: number];

const TEMPLATES: Seed[] = [
  ['ELDERLY-CANTEEN', '长者食堂', '社区长者饭堂(助餐点): 堂食与送餐上门, 每日约200名老人用餐。', 'SERVICE', 420_000, ['CARE-CANTEEN'], ['ELDERLY'],
    [['VENUE', 150, 900, '餐厅与厨房场地'], ['STAFF_HOURS', 1500, 30, '助餐志愿者'], ['GOODS', 40, 1500, '厨具与餐桌椅'], ['MONEY', 100_000, 1, '共建单位资金']], 0.35, 'FIXED', 200],
  ['DAYCARE-ROOM', '日间照料室', '社区日间照料中心: 日托、康复训练、文娱, 约60个托位。', 'SERVICE', 480_000, ['CARE-DAYCARE'], ['ELDERLY', 'DISABLED'],
    [['VENUE', 200, 900, '照料用房'], ['STAFF_HOURS', 2000, 35, '护理员与志愿者'], ['EXPERTISE', 200, 200, '康复师'], ['MONEY', 100_000, 1, '共建单位资金']], 0.3, 'FIXED', 60],
  ['HOME-AGE-FRIENDLY', '居家适老化改造', '为高龄、失能老人家庭安装扶手、防滑、紧急呼叫等设施。', 'GOODS', 400_000, ['CARE-HOME'], ['ELDERLY', 'DISABLED'],
    [['GOODS', 200, 800, '适老化改造套件'], ['STAFF_HOURS', 600, 60, '安装工时'], ['MONEY', 100_000, 1, '共建单位资金']], 0.3, 'PER_10K_YUAN', 2.5],
  ['STREET-LIGHTS', '路灯照明改造', '背街小巷与楼道照明: 更换LED路灯、楼道声控灯。', 'WORKS', 280_000, ['HOUSING-LIGHTS'], ['GENERAL', 'ELDERLY'],
    [['GOODS', 80, 1200, 'LED灯具'], ['EXPERTISE', 120, 150, '电工'], ['MONEY', 80_000, 1, '共建单位资金']], 0.7, 'PER_ADDRESSED_CASE', 20],
  ['DRAINAGE-REPAIR', '下水道改造', '老旧小区雨污管网疏通改造, 消除积水点。', 'WORKS', 850_000, ['HOUSING-DRAINAGE'], ['GENERAL'],
    [['EXPERTISE', 300, 300, '管网设计与监理'], ['MONEY', 200_000, 1, '共建单位资金']], 0.7, 'PER_ADDRESSED_CASE', 30],
  ['PARKING-SPACES', '停车位改造', '挖潜增设停车位、划线与充电桩, 规范停车秩序。', 'WORKS', 600_000, ['HOUSING-PARKING'], ['GENERAL'],
    [['EXPERTISE', 100, 300, '交通规划设计'], ['MONEY', 150_000, 1, '共建单位资金']], 0.5, 'PER_ADDRESSED_CASE', 5],
  ['ROAD-REPAIR', '背街小巷道路修缮', '破损路面、人行道修缮与树木修剪。', 'WORKS', 700_000, ['HOUSING-ROADS'], ['GENERAL'],
    [['EXPERTISE', 150, 300, '工程监理'], ['MONEY', 150_000, 1, '共建单位资金']], 0.6, 'PER_ADDRESSED_CASE', 15],
  ['ELEVATOR-RETROFIT', '加装电梯', '既有多层住宅加装电梯(一个单元), 居民与单位共担。', 'WORKS', 750_000, ['HOUSING-ELEVATOR'], ['ELDERLY', 'DISABLED'],
    [['EXPERTISE', 200, 300, '结构设计与监理'], ['MONEY', 300_000, 1, '居民与单位共担']], 0.15, 'FIXED', 90],
  ['ACCESSIBLE-RAMPS', '无障碍坡道改造', '楼栋出入口无障碍坡道、扶手与盲道修复。', 'WORKS', 300_000, ['CARE-ACCESSIBILITY'], ['DISABLED', 'ELDERLY'],
    [['EXPERTISE', 80, 300, '无障碍设计'], ['GOODS', 40, 800, '扶手与坡道构件'], ['MONEY', 80_000, 1, '共建单位资金']], 0.6, 'PER_ADDRESSED_CASE', 5],
  ['AFTER-SCHOOL', '四点半课堂', '放学后托管: 作业辅导、阅读与兴趣课, 约60名儿童。', 'SERVICE', 180_000, ['CIV-CHILD'], ['CHILDREN'],
    [['VENUE', 80, 900, '活动室'], ['STAFF_HOURS', 800, 40, '教师与大学生志愿者'], ['MONEY', 40_000, 1, '共建单位资金']], 0.4, 'FIXED', 60],
  ['HEALTH-OUTREACH', '健康义诊', '家庭医生进社区: 慢病随访、义诊与健康讲座, 全年12场。', 'SERVICE', 60_000, ['HEALTH-CHRONIC', 'HEALTH-FAMILY-DOCTOR'], ['ELDERLY', 'GENERAL'],
    [['STAFF_HOURS', 240, 150, '家庭医生义诊工时'], ['VENUE', 100, 50, '义诊场地(按场次)'], ['MONEY', 10_000, 1, '药品与耗材']], 0.2, 'PER_ADDRESSED_CASE', 1.5],
  ['WOMEN-HEALTH', '妇幼健康服务', '两癌筛查、孕产妇健康管理与母婴室建设。', 'SERVICE', 200_000, ['HEALTH-MATERNAL'], ['WOMEN', 'CHILDREN'],
    [['STAFF_HOURS', 300, 200, '妇幼保健医生工时'], ['VENUE', 20, 900, '母婴室'], ['GOODS', 10, 2000, '母婴室设备'], ['MONEY', 50_000, 1, '共建单位资金']], 0.35, 'PER_ADDRESSED_CASE', 1],
  ['JOB-SKILLS', '就业技能培训', '青年与妇女职业技能培训、招聘对接, 每期40人。', 'SERVICE', 150_000, ['JOB-TRAINING', 'JOB-REGISTER'], ['YOUTH', 'WOMEN'],
    [['EXPERTISE', 200, 250, '培训讲师'], ['VENUE', 100, 200, '培训教室(按期)'], ['MONEY', 40_000, 1, '共建单位资金']], 0.3, 'PER_ADDRESSED_CASE', 1],
  ['HARDSHIP-AID', '困难群众帮扶', '低保、特困家庭走访帮扶与公益岗位对接。', 'SERVICE', 100_000, ['CIV-SUBSIDY', 'JOB-ASSIST'], ['LOW_INCOME'],
    [['STAFF_HOURS', 500, 40, '社工与党员志愿者'], ['MONEY', 50_000, 1, '帮扶资金']], 0.3, 'PER_ADDRESSED_CASE', 1],
  ['PROPERTY-MEDIATION', '物业纠纷调解', '物业纠纷与邻里矛盾调解室: 律师、人民调解员驻点。', 'SERVICE', 120_000, ['HOUSING-PROPERTY', 'GRID-DISPUTE'], ['GENERAL'],
    [['EXPERTISE', 300, 300, '律师与调解员'], ['VENUE', 30, 900, '调解室']], 0.4, 'PER_ADDRESSED_CASE', 3],
  ['SANITATION', '垃圾分类与环境整治', '垃圾分类投放点改造、卫生死角清理与志愿督导。', 'SERVICE', 160_000, ['HOUSING-SANITATION', 'GRID-SANITATION'], ['GENERAL'],
    [['STAFF_HOURS', 2000, 25, '志愿督导'], ['GOODS', 100, 300, '分类垃圾桶'], ['MONEY', 40_000, 1, '共建单位资金']], 0.5, 'PER_ADDRESSED_CASE', 10],
  ['FIRE-SAFETY', '老旧小区消防改造', '消防通道整治、灭火器与烟感配置、消防栓维修。', 'WORKS', 450_000, ['GRID-FIRE', 'GRID-SAFETY'], ['GENERAL', 'ELDERLY'],
    [['GOODS', 300, 150, '灭火器与烟感'], ['EXPERTISE', 100, 300, '消防检测'], ['MONEY', 100_000, 1, '共建单位资金']], 0.5, 'PER_ADDRESSED_CASE', 10],
  ['ONE-STOP-PROXY', '便民代办服务点', '证照、证明与民生事项代办, 老人上门代办。', 'SERVICE', 90_000, ['CERT', 'GRID-PROXY'], ['ELDERLY', 'GENERAL'],
    [['STAFF_HOURS', 1000, 30, '代办员'], ['VENUE', 20, 900, '代办窗口']], 0.2, 'PER_ADDRESSED_CASE', 1],
];

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
const json = (value: unknown) => `${quote(JSON.stringify(value))}::jsonb`;

export class Migration20261202060000_projects extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "project_template" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "code" varchar(32) not null, "name" varchar(60) not null, "description" text null, "kind" text check ("kind" in ('SERVICE', 'GOODS', 'WORKS')) not null, "cost" double precision not null, "category_codes" jsonb not null, "target_groups" jsonb not null, "resource_needs" jsonb not null, "expected_reduction" double precision not null, "beneficiary_rule" text check ("beneficiary_rule" in ('FIXED', 'PER_ADDRESSED_CASE', 'PER_10K_YUAN')) not null, "beneficiary_factor" double precision not null, "active" boolean not null default true, "version" int not null default 1);`);
    this.addSql(`alter table "project_template" add constraint "project_template_code_unique" unique ("code");`);

    this.addSql(`create table "livelihood_project" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(120) not null, "community_id" int not null, "template_id" int null, "kind" text check ("kind" in ('SERVICE', 'GOODS', 'WORKS')) not null, "budget" double precision not null, "target_groups" jsonb not null, "expected_beneficiaries" int not null, "status" text check ("status" in ('PROPOSED', 'APPROVED', 'IN_PROGRESS', 'ACCEPTED', 'CANCELLED')) not null, "progress" smallint not null default 0, "suggestion_id" text null, "suggestion" jsonb null, "approved_at" timestamptz null, "started_at" timestamptz null, "accepted_on" date null, "actual_beneficiaries" int null, "actual_cost" double precision null, "acceptance_note" text null, "cancelled_at" timestamptz null, "version" int not null default 1);`);
    this.addSql(`create index "livelihood_project_community_id_index" on "livelihood_project" ("community_id");`);
    this.addSql(`create index "livelihood_project_template_id_index" on "livelihood_project" ("template_id");`);
    this.addSql(`create index "livelihood_project_status_index" on "livelihood_project" ("status");`);

    this.addSql(`create table "project_event" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "project_id" int not null, "sequence" int not null, "kind" text check ("kind" in ('PROPOSED', 'UPDATED', 'APPROVED', 'STARTED', 'PROGRESS', 'ACCEPTED', 'CANCELLED')) not null, "from_status" text check ("from_status" in ('PROPOSED', 'APPROVED', 'IN_PROGRESS', 'ACCEPTED', 'CANCELLED')) null, "to_status" text check ("to_status" in ('PROPOSED', 'APPROVED', 'IN_PROGRESS', 'ACCEPTED', 'CANCELLED')) not null, "progress" smallint null, "actor" varchar(80) not null, "note" text null);`);
    this.addSql(`alter table "project_event" add constraint "project_event_project_id_sequence_unique" unique ("project_id", "sequence");`);

    this.addSql(`create table "project_funding" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "project_id" int not null, "kind" text check ("kind" in ('GOVERNMENT', 'UNIT_POOLED', 'UNIT', 'SOCIAL', 'OTHER')) not null, "unit_id" int null, "amount" double precision not null, "note" varchar(200) null);`);
    this.addSql(`create index "project_funding_project_id_index" on "project_funding" ("project_id");`);
    this.addSql(`create index "project_funding_unit_id_index" on "project_funding" ("unit_id");`);

    this.addSql(`alter table "livelihood_project" add constraint "livelihood_project_community_id_foreign" foreign key ("community_id") references "area" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "livelihood_project" add constraint "livelihood_project_template_id_foreign" foreign key ("template_id") references "project_template" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "project_event" add constraint "project_event_project_id_foreign" foreign key ("project_id") references "livelihood_project" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "project_funding" add constraint "project_funding_project_id_foreign" foreign key ("project_id") references "livelihood_project" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "project_funding" add constraint "project_funding_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete restrict;`);

    // The project ledger is append-only, like the request ledger.
    this.addSql(`create function project_event_append_only() returns trigger language plpgsql as $$ begin raise exception 'project_event is append-only (% refused)', tg_op; end $$;`);
    this.addSql(`create trigger project_event_append_only before update or delete on "project_event" for each row execute function project_event_append_only();`);

    // Reference data: the seed catalogue of project templates.
    for (const [code, name, description, kind, cost, categories, groups, needs, rho, rule, factor] of TEMPLATES) {
      const resourceNeeds = needs.map(([needKind, quantity, unitValue, note]) => ({ kind: needKind, quantity, unitValue, note }));
      this.addSql(`insert into "project_template" ("created_at", "updated_at", "code", "name", "description", "kind", "cost", "category_codes", "target_groups", "resource_needs", "expected_reduction", "beneficiary_rule", "beneficiary_factor", "active", "version") values (now(), now(), ${quote(code)}, ${quote(name)}, ${quote(description)}, ${quote(kind)}, ${cost}, ${json(categories)}, ${json(groups)}, ${json(resourceNeeds)}, ${rho}, ${quote(rule)}, ${factor}, true, 1);`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists project_event_append_only on "project_event";`);
    this.addSql(`drop function if exists project_event_append_only();`);

    this.addSql(`alter table "livelihood_project" drop constraint "livelihood_project_template_id_foreign";`);

    this.addSql(`alter table "project_event" drop constraint "project_event_project_id_foreign";`);

    this.addSql(`alter table "project_funding" drop constraint "project_funding_project_id_foreign";`);

    this.addSql(`drop table if exists "project_template" cascade;`);

    this.addSql(`drop table if exists "livelihood_project" cascade;`);

    this.addSql(`drop table if exists "project_event" cascade;`);

    this.addSql(`drop table if exists "project_funding" cascade;`);
  }

}
