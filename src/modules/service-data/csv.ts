/**
 * A streaming RFC 4180 CSV scanner for the import, written for speed and for line-based error
 * recovery (csv-parse, used before, spent most of the import's CPU time and, on a stray closing
 * quote such as `"abc"x`, swallowed the rest of the file as one bad record).
 *
 * - Fields are separated by `delimiter`; records end at LF or CRLF (or CR alone when the first
 *   line ends that way). A field that starts with `"` is quoted: it may hold delimiters, line
 *   breaks and doubled quotes `""`, and must be followed by a delimiter, a line end or the end.
 * - Empty lines are skipped; a leading byte-order mark is dropped.
 * - Malformed records (a quote inside an unquoted field, text after a closing quote, a quote
 *   never closed, a record over MAX_RECORD_CHARS) are returned as errors naming the line where
 *   the record starts; scanning resumes on the next physical line, so a bad line costs one
 *   rejected row, never the rest of the file. Messages never echo field values.
 *
 * On well-formed input it yields exactly the records csv-parse yields with
 * `{ bom: true, relax_column_count: true, skip_empty_lines: true }` (a unit test compares them).
 */

/** Longest record (in characters) the scanner buffers while looking for a closing quote. */
export const MAX_RECORD_CHARS = 1 << 20;

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** What `next()` returns for a malformed record; read `line` and `message` from the scanner. */
export const CSV_ERROR = Symbol('csv error');

export class CsvScanner {
  /** The physical line (1-based) where the record `next()` last returned starts. */
  line = 0;
  /** Why the last CSV_ERROR record was refused. */
  message = '';

  private buffer = '';
  private pos = 0;
  /** Physical line number at `pos`. */
  private lineAtPos = 1;
  private ended = false;
  private started = false;
  /** Index of the next `"` at or after `pos` (-1: none in the buffer), or -2 when unknown. */
  private nextQuote = -2;
  /** 'lf' (LF or CRLF) or 'cr' (CR alone), settled at the first line break. */
  private breaks: 'lf' | 'cr' | null = null;
  private readonly delimiterCode: number;
  /** Dropping the rest of a line that grew past MAX_RECORD_CHARS, up to its line break. */
  private skippingLine = false;

  constructor(private readonly delimiter = ',') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') throw new Error(`invalid CSV delimiter ${JSON.stringify(delimiter)}`);
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** Adds decoded text. */
  push(text: string): void {
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.buffer = this.pos < this.buffer.length ? this.buffer.slice(this.pos) + text : text;
    this.pos = 0;
    this.nextQuote = -2;
  }

  /** No more text will come. */
  end(): void {
    this.ended = true;
  }

  /**
   * The next record's fields, CSV_ERROR for a malformed record (see `line`, `message`), or
   * null when more text is needed (or, after `end()`, when there is nothing left).
   */
  next(): string[] | typeof CSV_ERROR | null {
    for (;;) {
      if (this.skippingLine && !this.skipToLineEnd()) return null;
      const buffer = this.buffer;
      const start = this.pos;
      if (start >= buffer.length) return null;
      if (this.breaks === null) {
        // Settle the line break from the first one seen: CRLF or LF → 'lf', CR alone → 'cr'.
        const lf = buffer.indexOf('\n', start);
        const cr = buffer.indexOf('\r', start);
        if (cr >= 0 && (lf < 0 || cr < lf)) {
          if (cr + 1 < buffer.length) this.breaks = buffer.charCodeAt(cr + 1) === LF ? 'lf' : 'cr';
          else if (this.ended) this.breaks = 'cr';
          else return null;
        } else if (lf >= 0 || this.ended) this.breaks = 'lf';
        else return this.tooLongSoFar(start);
      }
      let lineEnd = buffer.indexOf(this.breaks === 'cr' ? '\r' : '\n', start);
      if (lineEnd < 0) {
        if (!this.ended) return this.tooLongSoFar(start);
        lineEnd = buffer.length;
      }
      if (this.nextQuote === -2 || (this.nextQuote >= 0 && this.nextQuote < start)) this.nextQuote = buffer.indexOf('"', start);

      if (this.nextQuote < 0 || this.nextQuote >= lineEnd) {
        // Fast path: no quote on this line.
        let contentEnd = lineEnd;
        if (this.breaks === 'lf' && contentEnd > start && buffer.charCodeAt(contentEnd - 1) === CR) contentEnd -= 1;
        this.line = this.lineAtPos;
        this.pos = lineEnd + 1;
        this.lineAtPos += 1;
        if (contentEnd === start) continue; // empty line
        return buffer.slice(start, contentEnd).split(this.delimiter);
      }
      const record = this.quoted(start);
      if (record === null) {
        if (!this.ended && buffer.length - start <= MAX_RECORD_CHARS) return null;
        this.fail(lineEnd, buffer.length - start > MAX_RECORD_CHARS ? `Record Too Long: no closing quote within ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters` : 'Quote Not Closed: the file ends inside a quoted field');
        return CSV_ERROR;
      }
      if (record === CSV_ERROR) {
        this.fail(lineEnd, this.message);
        return CSV_ERROR;
      }
      return record;
    }
  }

  /**
   * Null (wait for more text) while the unfinished line from `start` fits MAX_RECORD_CHARS. Past
   * that, refuses it and drops text up to its line break as it comes, so a file without line
   * breaks costs one rejected row and a bounded buffer, not the whole file in memory.
   */
  private tooLongSoFar(start: number): typeof CSV_ERROR | null {
    if (this.buffer.length - start <= MAX_RECORD_CHARS) return null;
    this.message = `Record Too Long: no line end within ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters`;
    this.line = this.lineAtPos;
    this.skippingLine = true;
    this.buffer = '';
    this.pos = 0;
    this.nextQuote = -2;
    return CSV_ERROR;
  }

  /** While skipping a too-long line: true once past its line break, false when more text is needed. */
  private skipToLineEnd(): boolean {
    // Before the first line break is settled, either kind ends the skipped line.
    const lf = this.breaks === 'cr' ? -1 : this.buffer.indexOf('\n', this.pos);
    const cr = this.breaks === 'lf' ? -1 : this.buffer.indexOf('\r', this.pos);
    const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    if (end < 0) {
      this.buffer = '';
      this.pos = 0;
      return false;
    }
    this.breaks ??= this.buffer.charCodeAt(end) === CR && this.buffer.charCodeAt(end + 1) !== LF ? 'cr' : 'lf';
    const next = this.breaks === 'lf' ? this.buffer.indexOf('\n', this.pos) : end;
    this.pos = next + 1;
    this.lineAtPos += 1;
    this.skippingLine = false;
    this.nextQuote = -2;
    return true;
  }

  /** After an error in the record starting at `pos`, skips that record's first physical line only. */
  private fail(lineEnd: number, message: string): void {
    this.message = message;
    this.line = this.lineAtPos;
    this.pos = lineEnd + 1;
    this.lineAtPos += 1;
    this.nextQuote = -2;
  }

  /**
   * Scans a record that has a quote somewhere, character by character. Returns its fields,
   * CSV_ERROR (with `message` set), or null when the buffer ends before the record does.
   */
  private quoted(start: number): string[] | typeof CSV_ERROR | null {
    const buffer = this.buffer;
    const length = buffer.length;
    const delimiter = this.delimiterCode;
    const lineBreak = this.breaks === 'cr' ? CR : LF;
    const cells: string[] = [];
    let i = start;
    let newlines = 0;
    for (;;) {
      const field = cells.length + 1;
      if (i < length && buffer.charCodeAt(i) === QUOTE) {
        // Quoted field: up to the closing quote, "" standing for one quote.
        let value = '';
        let from = i + 1;
        for (;;) {
          const close = buffer.indexOf('"', from);
          if (close < 0) return null;
          if (close + 1 >= length && !this.ended) return null;
          value += buffer.slice(from, close);
          if (buffer.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            from = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        newlines += countBreaks(value, lineBreak === LF ? '\n' : '\r');
        cells.push(value);
        const after = i < length ? buffer.charCodeAt(i) : -1;
        if (after === delimiter) {
          i += 1;
          continue;
        }
        if (after === -1 || after === lineBreak || (after === CR && lineBreak === LF && (i + 1 >= length ? this.ended : buffer.charCodeAt(i + 1) === LF))) break;
        if (after === CR && lineBreak === LF && i + 1 >= length) return null;
        this.message = `Invalid Closing Quote: field ${field} has text after its closing quote`;
        return CSV_ERROR;
      }
      // Unquoted field: up to the next delimiter or line break; a quote in it is an error.
      let j = i;
      while (j < length) {
        const code = buffer.charCodeAt(j);
        if (code === delimiter || code === lineBreak) break;
        if (code === CR && lineBreak === LF) {
          if (j + 1 >= length && !this.ended) return null;
          if (j + 1 >= length || buffer.charCodeAt(j + 1) === LF) break;
        }
        if (code === QUOTE) {
          this.message = `Invalid Opening Quote: a quote inside unquoted field ${field}`;
          return CSV_ERROR;
        }
        j += 1;
      }
      if (j >= length && !this.ended) return null;
      cells.push(buffer.slice(i, j));
      if (j < length && buffer.charCodeAt(j) === delimiter) {
        i = j + 1;
        continue;
      }
      i = j;
      break;
    }
    // i is at the line break (or the end): consume it.
    if (i < length && buffer.charCodeAt(i) === CR && lineBreak === LF) i += 1;
    this.line = this.lineAtPos;
    this.pos = i + 1;
    this.lineAtPos += 1 + newlines;
    this.nextQuote = -2;
    return cells;
  }
}

function countBreaks(text: string, lineBreak: string): number {
  let n = 0;
  for (let k = text.indexOf(lineBreak); k >= 0; k = text.indexOf(lineBreak, k + 1)) n += 1;
  return n;
}
