import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { maskFreeText } from '../../common/privacy';
import { cutText, isWellFormedText } from '../../common/text';
import { compileDateFormat, firstOf, parseMappingOffset, type DateParser } from './date-format';
import { GROUP_BITS } from './resident-groups';
import { ServiceChannel, ServiceRecordStatus } from './service-data.entity';

/**
 * A column mapping turns another system's export into service records with no code change
 * (see mappings/*.json and the README section "Import mappings"). A field takes its value
 * from a `column` (or a `constant`); `values` maps exact raw values, `prefixes` maps by
 * prefix (longest first), `otherwise` replaces any other non-empty value, `default` fills an
 * empty cell. Items and areas are then looked up `by` code or name; `areaFallback.hashInto`
 * sends an unknown (non-empty) area name to one of the listed community codes by a stable
 * hash of the name, so foreign neighbourhoods land on demo communities deterministically.
 */
const field = z
  .object({
    column: z.string().min(1).optional(),
    constant: z.string().optional(),
    values: z.record(z.string()).optional(),
    prefixes: z.record(z.string()).optional(),
    otherwise: z.string().optional(),
    default: z.string().optional(),
  })
  .strict();

const lookupField = field.extend({ by: z.enum(['code', 'name']).default('code') }).strict();

export const mappingSchema = z
  .object({
    name: z.string().min(1).max(60),
    description: z.string().optional(),
    /** The `source` every record of this mapping carries; (source, sourceId) is the dedup key. */
    source: z.string().regex(/^[a-z0-9_-]{1,32}$/),
    format: z.enum(['csv', 'jsonl']).default('csv'),
    delimiter: z.string().length(1).default(','),
    encoding: z.enum(['utf8', 'gbk']).default('utf8'),
    /** Offset of the times in the file, e.g. +08:00. */
    timezone: z.string().default('+08:00'),
    dateFormats: z.array(z.string().min(1)).min(1),
    fields: z
      .object({
        sourceId: field,
        item: lookupField,
        receivedAt: field,
        finishedAt: field.optional(),
        status: field,
        community: lookupField.extend({ areaFallback: z.object({ hashInto: z.array(z.string()).min(1) }).strict().optional() }).strict(),
        grid: lookupField.optional(),
        building: lookupField.optional(),
        residentGroups: field.extend({ separator: z.string().min(1).default('|') }).strict().optional(),
        channel: field.optional(),
        satisfaction: field.optional(),
        /** Already pseudonymous (32 hex characters, our own export). */
        residentHash: field.optional(),
        /** A raw resident identifier: hashed with the salt on import, never stored. */
        residentId: field.optional(),
        agency: field.optional(),
        note: field.optional(),
      })
      .strict(),
  })
  .strict();

export type Mapping = z.infer<typeof mappingSchema>;
type FieldSpec = z.infer<typeof field>;

/** Reads and validates a mapping file; throws an Error with a readable message. */
export function loadMapping(file: string): Mapping {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read mapping ${path.basename(file)}: ${(error as Error).message}`);
  }
  return parseMapping(raw, path.basename(file));
}

export function parseMapping(raw: unknown, label = 'mapping'): Mapping {
  const parsed = mappingSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid ${label}: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
  }
  // Found here, before a run is started, rather than by the first row.
  for (const name of ['sourceId', 'item', 'receivedAt', 'status', 'community'] as const) {
    const spec = parsed.data.fields[name];
    if (spec.column === undefined && spec.constant === undefined) throw new Error(`invalid ${label}: fields.${name}: give a column (or a constant)`);
  }
  // A status or channel the mapping writes must be one of ours: else every row carrying it is
  // rejected as `unknown status "DONE"`, a value the file does not hold.
  for (const [name, allowed, what] of [['status', STATUSES, 'status'], ['channel', CHANNELS, 'channel']] as const) {
    const spec = parsed.data.fields[name];
    if (!spec) continue;
    const written: [string, string | undefined][] = [
      ['constant', spec.constant],
      ['otherwise', spec.otherwise],
      ['default', spec.default],
      ...Object.entries(spec.values ?? {}).map(([raw, value]): [string, string] => [`values.${raw}`, value]),
      ...Object.entries(spec.prefixes ?? {}).map(([raw, value]): [string, string] => [`prefixes.${raw}`, value]),
    ];
    for (const [place, value] of written) {
      // An empty channel is read as OTHER (see the row mapper).
      if (value !== undefined && !allowed.has(value) && !(name === 'channel' && value === '')) throw new Error(`invalid ${label}: fields.${name}.${place}: ${JSON.stringify(value)} is not a ${what} (${[...allowed].join(', ')})`);
    }
  }
  if (['"', '\r', '\n'].includes(parsed.data.delimiter)) throw new Error(`invalid ${label}: delimiter: a quote or a line break cannot separate fields`);
  let offset: number;
  try {
    offset = parseMappingOffset(parsed.data.timezone);
  } catch (error) {
    throw new Error(`invalid ${label}: timezone: ${(error as Error).message}`);
  }
  for (const [i, format] of parsed.data.dateFormats.entries()) {
    try {
      compileDateFormat(format, offset);
    } catch (error) {
      throw new Error(`invalid ${label}: dateFormats.${i}: ${(error as Error).message}`);
    }
  }
  return parsed.data;
}

/**
 * Ids the mapper resolves codes and names to, loaded once per import. Grid and building names
 * repeat across communities (every community may have a 第一网格), so those maps are keyed by
 * `scopedName(communityId, name)`; codes are unique and keyed as they are.
 */
export interface Lookups {
  itemByCode: Map<string, number>;
  itemByName: Map<string, number>;
  communityByCode: Map<string, number>;
  communityByName: Map<string, number>;
  gridByCode: Map<string, { id: number; communityId: number }>;
  gridByName: Map<string, { id: number; communityId: number }>;
  buildingByCode: Map<string, { id: number; communityId: number }>;
  buildingByName: Map<string, { id: number; communityId: number }>;
}

/** What a name shared by two items or areas maps to in Lookups: rows naming it are rejected (or, for a grid or building, not kept). */
export const AMBIGUOUS = -1;

/** The key of a grid or building name inside its community (see Lookups). */
export const scopedName = (communityId: number, name: string) => `${communityId}/${name}`;

export interface Rejection {
  column: string | null;
  reason: string;
}

/** A mapped row as one line of PostgreSQL COPY text (see STAGE_COLUMNS), or why it was refused. */
export type RowMapper = (cells: readonly string[]) => string | Rejection;

/** Staging columns, in COPY order. Times are epoch seconds. */
export const STAGE_COLUMNS = [
  'source_id', 'item_id', 'received_s', 'finished_s', 'status', 'community_id', 'grid_id', 'building_id',
  'resident_groups', 'channel', 'satisfaction', 'agency', 'note', 'resident_hash',
] as const;

const STATUSES = new Set<string>(Object.values(ServiceRecordStatus));
const CHANNELS = new Set<string>(Object.values(ServiceChannel));
/** A Map, not an object: a group named `constructor` or `toString` must be unknown, not a prototype's member. */
const GROUPS = new Map<string, number>(Object.entries(GROUP_BITS));
const NULL = '\\N';

/** The salt for resident hashes; set RESIDENT_HASH_SALT in production (same salt → same hash across imports). */
export function residentHashSalt(env: NodeJS.ProcessEnv = process.env): string {
  // The default is public: loadConfig, which every server and command runs first, refuses production without a salt.
  return env.RESIDENT_HASH_SALT || 'gongjian-dev-salt';
}

export function hashResident(identifier: string, salt: string): string {
  return createHmac('sha256', salt).update(identifier.trim().toUpperCase()).digest('hex').slice(0, 32);
}

/** Escapes text for COPY's text format. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : value;
}

/**
 * Why PostgreSQL cannot store `text` as given, or null. U+0000: one in a COPY line fails the whole
 * batch, and with it the run. Half a surrogate pair (an API import's JSON can carry one; decoded
 * files cannot) would be stored as U+FFFD: two source ids differing only there would collide,
 * and two resident ids would hash alike. Stored and hashed text is checked here so only that row
 * is refused.
 */
function unstorableText(what: string, text: string): string | null {
  if (text.includes('\0')) return `${what} contains a NUL character (U+0000), which cannot be stored`;
  if (!isWellFormedText(text)) return `${what} contains half of a surrogate pair (not valid Unicode text), which would be stored changed`;
  return null;
}

/** `text` in lower case when it is 32 hexadecimal digits, else null (a loop: this runs per row). */
function hexHash(text: string): string | null {
  if (text.length !== 32) return null;
  let upper = false;
  for (let i = 0; i < 32; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 48 && code <= 57) || (code >= 97 && code <= 102)) continue;
    if (code >= 65 && code <= 70) upper = true;
    else return null;
  }
  return upper ? text.toLowerCase() : text;
}

/**
 * A cell's value as echoed (shortened) in a reason, which analysts can read: codes, dates and
 * statuses help fix a file, but a misplaced cell may hold a phone or ID number, written any way
 * residents write them (138-1234-5678, full-width digits): masked as all free text is
 * (maskFreeText), before shortening so no cut can leave part of a number unmasked.
 */
function shown(value: string): string {
  const masked = maskFreeText(value);
  const cut = cutText(masked, 40);
  return JSON.stringify(cut.length < masked.length ? `${cut}…` : masked);
}

/** FNV-1a: a stable hash for areaFallback. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

type Cell = (cells: readonly string[]) => string;

/**
 * Compiles a mapping against a header row into a fast row mapper. Throws when a column the
 * mapping names is missing from the header (the file does not match the mapping).
 */
export function compileMapping(mapping: Mapping, header: readonly string[], lookups: Lookups, salt = residentHashSalt(), now = Date.now()): RowMapper {
  // A day's grace for clocks and time zones; later is a typo (2099) that would add days to every roll-up.
  const latest = Math.floor(now / 1000) + 86_400;
  const index = new Map(header.map((name, i) => [name.trim(), i]));
  // A name given twice: which copy is meant cannot be known (the last one was read silently).
  const seen = new Set<string>();
  const repeated = new Set(header.map((name) => name.trim()).filter((name) => seen.has(name) || !seen.add(name)));
  const width = header.length;
  const missing: string[] = [];
  const twice: string[] = [];

  function reader(spec: FieldSpec | undefined): Cell | null {
    if (!spec) return null;
    if (spec.constant !== undefined) {
      const constant = spec.constant;
      return () => constant;
    }
    if (!spec.column) return null;
    const at = index.get(spec.column);
    if (at === undefined) {
      missing.push(spec.column);
      return null;
    }
    if (repeated.has(spec.column)) twice.push(spec.column);
    const values = spec.values ? new Map(Object.entries(spec.values)) : null;
    const prefixes = spec.prefixes ? Object.entries(spec.prefixes).sort((a, b) => b[0].length - a[0].length) : null;
    const { otherwise, default: fallback } = spec;
    return (cells) => {
      const raw = (cells[at] ?? '').trim();
      if (raw === '') return fallback ?? '';
      if (values) {
        const mapped = values.get(raw);
        if (mapped !== undefined) return mapped;
      }
      if (prefixes) for (const [prefix, mapped] of prefixes) if (raw.startsWith(prefix)) return mapped;
      return otherwise ?? raw;
    };
  }

  const f = mapping.fields;
  const sourceId = reader(f.sourceId);
  const item = reader(f.item);
  const receivedAt = reader(f.receivedAt);
  const finishedAt = reader(f.finishedAt);
  const status = reader(f.status);
  const community = reader(f.community);
  const grid = reader(f.grid);
  const building = reader(f.building);
  const groups = reader(f.residentGroups);
  const channel = reader(f.channel);
  const satisfaction = reader(f.satisfaction);
  const residentHash = reader(f.residentHash);
  const residentId = reader(f.residentId);
  const agency = reader(f.agency);
  const note = reader(f.note);
  if (missing.length) throw new Error(`the file has no column ${missing.map((c) => JSON.stringify(c)).join(', ')} that mapping "${mapping.name}" needs`);
  if (twice.length) throw new Error(`the file names column ${[...new Set(twice)].map((c) => JSON.stringify(c)).join(', ')} more than once, and mapping "${mapping.name}" reads it: which copy is meant cannot be known`);
  if (!sourceId || !item || !receivedAt || !status || !community) throw new Error(`mapping "${mapping.name}" must give sourceId, item, receivedAt, status and community`);

  const offset = parseMappingOffset(mapping.timezone);
  const parseDate: DateParser = firstOf(mapping.dateFormats.map((format) => compileDateFormat(format, offset)));
  const itemIds = f.item.by === 'name' ? lookups.itemByName : lookups.itemByCode;
  const communityIds = f.community.by === 'name' ? lookups.communityByName : lookups.communityByCode;
  const fallbackIds = f.community.areaFallback?.hashInto.map((code) => {
    const id = lookups.communityByCode.get(code);
    if (id === undefined) throw new Error(`mapping "${mapping.name}": areaFallback community ${code} does not exist (load the demo city first)`);
    return id;
  });
  const gridIds = f.grid?.by === 'name' ? lookups.gridByName : lookups.gridByCode;
  const buildingIds = f.building?.by === 'name' ? lookups.buildingByName : lookups.buildingByCode;
  const gridKey = f.grid?.by === 'name' ? scopedName : (_community: number, text: string) => text;
  const buildingKey = f.building?.by === 'name' ? scopedName : (_community: number, text: string) => text;
  const separator = f.residentGroups?.separator ?? '|';
  const col = (spec: FieldSpec | undefined) => spec?.column ?? null;
  /** Group lists seen before → bitmask (there are only a few dozen combinations in practice). */
  const groupMasks = new Map<string, number>();

  return (cells) => {
    if (cells.length !== width) return { column: null, reason: `expected ${width} fields, got ${cells.length}` };
    const id = sourceId(cells);
    if (id === '') return { column: col(f.sourceId), reason: 'source id is missing' };
    if (id.length > 64) return { column: col(f.sourceId), reason: 'source id is longer than 64 characters' };
    const idUnstorable = unstorableText('source id', id);
    if (idUnstorable !== null) return { column: col(f.sourceId), reason: idUnstorable };

    const itemKey = item(cells);
    if (itemKey === '') return { column: col(f.item), reason: 'service item is missing' };
    const itemId = itemIds.get(itemKey);
    if (itemId === AMBIGUOUS) return { column: col(f.item), reason: `service item name ${shown(itemKey)} is shared by several items: map the item by code` };
    if (itemId === undefined) return { column: col(f.item), reason: `unknown service item ${shown(itemKey)}` };

    const receivedText = receivedAt(cells);
    if (receivedText === '') return { column: col(f.receivedAt), reason: 'received time is missing' };
    const received = parseDate(receivedText);
    if (received === null) return { column: col(f.receivedAt), reason: `malformed date ${shown(receivedText)} (expected ${mapping.dateFormats.join(' or ')})` };
    if (received > latest) return { column: col(f.receivedAt), reason: `received in the future ${shown(receivedText)}` };
    let finished: number | null = null;
    if (finishedAt) {
      const finishedText = finishedAt(cells);
      if (finishedText !== '') {
        finished = parseDate(finishedText);
        if (finished === null) return { column: col(f.finishedAt), reason: `malformed date ${shown(finishedText)} (expected ${mapping.dateFormats.join(' or ')})` };
        if (finished < received) return { column: col(f.finishedAt), reason: 'finished before it was received' };
        if (finished > latest) return { column: col(f.finishedAt), reason: `finished in the future ${shown(finishedText)}` };
      }
    }

    const statusValue = status(cells);
    if (!STATUSES.has(statusValue)) return { column: col(f.status), reason: `unknown status ${shown(statusValue)}` };
    // Close times average over FINISHED records: one without its time would pull every average down.
    if (statusValue === 'FINISHED' && finished === null) return { column: f.finishedAt ? col(f.finishedAt) : col(f.status), reason: 'a FINISHED record needs its finish time' };

    const areaKey = community(cells);
    if (areaKey === '') return { column: col(f.community), reason: 'community is missing' };
    let communityId = communityIds.get(areaKey);
    if (communityId === undefined && fallbackIds) communityId = fallbackIds[stableHash(areaKey) % fallbackIds.length];
    if (communityId === AMBIGUOUS) return { column: col(f.community), reason: `community name ${shown(areaKey)} is shared by several communities: map the community by code` };
    if (communityId === undefined) return { column: col(f.community), reason: `unknown community ${shown(areaKey)}` };

    // Grid and building are kept only when known and inside the record's community.
    let gridId: string = NULL;
    if (grid) {
      const found = gridIds.get(gridKey(communityId, grid(cells)));
      if (found && found.communityId === communityId) gridId = String(found.id);
    }
    let buildingId: string = NULL;
    if (building) {
      const found = buildingIds.get(buildingKey(communityId, building(cells)));
      if (found && found.communityId === communityId) buildingId = String(found.id);
    }

    let mask = 0;
    if (groups) {
      const text = groups(cells);
      if (text !== '') {
        const known = groupMasks.get(text);
        if (known !== undefined) mask = known;
        else {
          for (const part of text.split(separator)) {
            const bit = GROUPS.get(part.trim());
            if (bit === undefined) return { column: col(f.residentGroups), reason: `unknown resident group ${shown(part)}` };
            mask |= bit;
          }
          // A fresh copy as the key: `text` may be a slice of a whole input chunk, which it would keep alive.
          if (groupMasks.size < 4096) groupMasks.set(Buffer.from(text).toString(), mask);
        }
      }
    }

    const channelValue = channel ? channel(cells) || ServiceChannel.OTHER : ServiceChannel.OTHER;
    if (!CHANNELS.has(channelValue)) return { column: col(f.channel), reason: `unknown channel ${shown(channelValue)}` };

    let satisfactionValue: string = NULL;
    if (satisfaction) {
      const text = satisfaction(cells);
      if (text !== '') {
        if (!/^[1-5]$/.test(text)) return { column: col(f.satisfaction), reason: 'satisfaction must be a whole number 1-5' };
        satisfactionValue = text;
      }
    }

    let hash: string = NULL;
    if (residentHash) {
      const text = residentHash(cells);
      if (text !== '') {
        const normalised = hexHash(text);
        if (normalised === null) return { column: col(f.residentHash), reason: 'resident hash must be 32 hexadecimal characters' };
        hash = normalised;
      }
    } else if (residentId) {
      const text = residentId(cells);
      const unstorable = unstorableText('resident id', text);
      if (unstorable !== null) return { column: col(f.residentId), reason: unstorable };
      if (text !== '') hash = hashResident(text, salt);
    }

    const agencyText = agency ? cutText(agency(cells), 100) : '';
    const noteText = note ? cutText(note(cells), 1000) : '';
    const agencyUnstorable = unstorableText('agency', agencyText);
    if (agencyUnstorable !== null) return { column: col(f.agency), reason: agencyUnstorable };
    const noteUnstorable = unstorableText('note', noteText);
    if (noteUnstorable !== null) return { column: col(f.note), reason: noteUnstorable };
    return `${copyText(id)}\t${itemId}\t${received}\t${finished ?? NULL}\t${statusValue}\t${communityId}\t${gridId}\t${buildingId}\t${mask}\t${channelValue}\t${satisfactionValue}\t${agencyText ? copyText(agencyText) : NULL}\t${noteText ? copyText(noteText) : NULL}\t${hash}\n`;
  };
}

