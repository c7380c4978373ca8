import { parse as parseSync } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths';
import { CSV_ERROR, CsvScanner, MAX_RECORD_CHARS } from '../../src/modules/service-data/csv';
import { mulberry32 } from '../../src/seed/random';

interface Scanned {
  records: { line: number; cells: string[] }[];
  errors: { line: number; message: string }[];
}

/** Feeds `text` in pieces of `piece` characters (to cross every chunk boundary) and collects the output. */
function scan(text: string, piece = text.length || 1, delimiter = ','): Scanned {
  const scanner = new CsvScanner(delimiter);
  const out: Scanned = { records: [], errors: [] };
  const drain = () => {
    for (let record = scanner.next(); record !== null; record = scanner.next()) {
      if (record === CSV_ERROR) out.errors.push({ line: scanner.line, message: scanner.message });
      else out.records.push({ line: scanner.line, cells: record });
    }
  };
  for (let i = 0; i < text.length; i += piece) {
    scanner.push(text.slice(i, i + piece));
    drain();
  }
  scanner.end();
  drain();
  return out;
}

const csvParse = (text: string, delimiter = ','): string[][] => parseSync(text, { bom: true, relax_column_count: true, skip_empty_lines: true, delimiter });

function randomCsv(random: () => number, lineBreak: string, delimiter: string): string {
  const alphabet = ['a', 'b', '办', '结', ' ', '1', '-', ':', '\u00e9'];
  const quotedOnly = [delimiter, '"', '\n', '\r\n'];
  const lines: string[] = [];
  const rows = 1 + Math.floor(random() * 30);
  for (let r = 0; r < rows; r++) {
    if (random() < 0.05) {
      lines.push('');
      continue;
    }
    const cells: string[] = [];
    const width = 1 + Math.floor(random() * 6);
    for (let c = 0; c < width; c++) {
      let value = '';
      const quoted = random() < 0.3;
      const length = Math.floor(random() * 8);
      for (let k = 0; k < length; k++) value += quoted && random() < 0.3 ? quotedOnly[Math.floor(random() * quotedOnly.length)] : alphabet[Math.floor(random() * alphabet.length)];
      cells.push(quoted ? `"${value.replace(/"/g, '""')}"` : value);
    }
    const line = cells.join(delimiter);
    lines.push(line === '' ? 'x' : line);
  }
  return (random() < 0.5 ? '\ufeff' : '') + lines.join(lineBreak) + (random() < 0.5 ? lineBreak : '');
}

describe('CsvScanner', () => {
  test('gives exactly the records csv-parse gives on well-formed input, whatever the chunking', () => {
    const random = mulberry32(42);
    for (let round = 0; round < 400; round++) {
      const lineBreak = round % 3 === 0 ? '\r\n' : '\n';
      const delimiter = round % 4 === 0 ? ';' : ',';
      const text = randomCsv(random, lineBreak, delimiter);
      const expected = csvParse(text, delimiter);
      for (const piece of [text.length || 1, 7, 1]) {
        const got = scan(text, piece, delimiter);
        expect(got.errors).toEqual([]);
        expect(got.records.map((r) => r.cells)).toEqual(expected);
      }
    }
  });

  test('the Baltimore 311 sample scans to what csv-parse gives', () => {
    const file = path.join(PROJECT_ROOT, '..', 'shared', 'data', 'baltimore311', '311_sample.csv');
    if (!fs.existsSync(file)) return; // the shared data is not everywhere; the random test above covers the rules
    const text = fs.readFileSync(file, 'utf8');
    const got = scan(text, 65536);
    expect(got.errors).toEqual([]);
    expect(got.records.map((r) => r.cells)).toEqual(csvParse(text));
  });

  test('reports the line where each record starts, counting line breaks inside quoted fields', () => {
    const got = scan('h1,h2\n\n"a\nb",c\nd,e\r\n');
    expect(got.records).toEqual([
      { line: 1, cells: ['h1', 'h2'] },
      { line: 3, cells: ['a\nb', 'c'] },
      { line: 5, cells: ['d', 'e'] },
    ]);
  });

  test('lines that end with CR alone are records too', () => {
    expect(scan('a,b\rc,"d\re"\rf,g').records.map((r) => r.cells)).toEqual([['a', 'b'], ['c', 'd\re'], ['f', 'g']]);
  });

  test('a bad line costs one record: a stray closing quote, a quote inside a field, an unclosed quote', () => {
    const text = ['h1,h2', 'ok1,x', '"abc"x,y', 'ok2,x', 'a"b,c', 'ok3,"quoted, fine"', '"never closed,z', 'ok4,x', ''].join('\n');
    for (const piece of [text.length, 5, 1]) {
      const got = scan(text, piece);
      expect(got.records.map((r) => [r.line, r.cells[0]])).toEqual([[1, 'h1'], [2, 'ok1'], [4, 'ok2'], [6, 'ok3'], [8, 'ok4']]);
      expect(got.errors).toEqual([
        { line: 3, message: expect.stringMatching(/^Invalid Closing Quote: field 1/) },
        { line: 5, message: expect.stringMatching(/^Invalid Opening Quote: a quote inside unquoted field 1/) },
        { line: 7, message: expect.stringMatching(/^Quote Not Closed/) },
      ]);
    }
  });

  test('error messages never echo field values', () => {
    const got = scan('id,name\n1,"张三"x\n2,李"四\n');
    expect(got.errors).toHaveLength(2);
    for (const error of got.errors) expect(error.message).not.toMatch(/张|李|四/);
  });

  test('a quoted field longer than the limit is refused and scanning goes on', () => {
    const huge = `"${'x'.repeat(MAX_RECORD_CHARS + 10)}`;
    const got = scan(`h\n${huge}\nafter\n`, 65536);
    expect(got.errors).toEqual([{ line: 2, message: expect.stringMatching(/^Record Too Long/) }]);
    expect(got.records.map((r) => r.cells)).toEqual([['h'], ['after']]);
  });

  test('an unquoted line with no end within the limit is refused as it streams, not held whole in memory', () => {
    for (const lineBreak of ['\n', '\r\n', '\r']) {
      const got = scan(`h${lineBreak}${'y,'.repeat(MAX_RECORD_CHARS * 1.5)}${lineBreak}after${lineBreak}`, 65536);
      expect(got.errors).toEqual([{ line: 2, message: expect.stringMatching(/^Record Too Long: no line end/) }]);
      expect(got.records.map((r) => [r.line, r.cells])).toEqual([[1, ['h']], [3, ['after']]]);
    }
    // The scanner keeps at most about one limit's worth of text, however long the line.
    const scanner = new CsvScanner();
    scanner.push('h\n');
    scanner.next();
    let errors = 0;
    for (let i = 0; i < 40; i++) {
      scanner.push('z'.repeat(MAX_RECORD_CHARS / 4));
      for (let record = scanner.next(); record !== null; record = scanner.next()) if (record === CSV_ERROR) errors += 1;
      expect((scanner as unknown as { buffer: string }).buffer.length).toBeLessThanOrEqual(MAX_RECORD_CHARS + MAX_RECORD_CHARS / 4);
    }
    expect(errors).toBe(1);
    // A first line (the header) with no end at all is refused too.
    expect(scan('x'.repeat(MAX_RECORD_CHARS + 5), 65536).errors).toEqual([{ line: 1, message: expect.stringMatching(/^Record Too Long/) }]);
  });
});
