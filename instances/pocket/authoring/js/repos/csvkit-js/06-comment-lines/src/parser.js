import { CsvError } from './errors.js';

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const AFTER_QUOTE = 3;
const COMMENT = 4;

/**
 * Incremental CSV tokenizer: a character-level state machine (quoted fields may contain line
 * breaks) that keeps its state between write() calls. Each record goes to onRecord(fields, line),
 * with the line it starts on, as soon as its line ending is read.
 */
export class Parser {
  #delimiter;
  #quote;
  #comment;
  #onRecord;
  #state = FIELD_START;
  #row = [];
  #field = '';
  #line = 1;
  #rowLine = 1;
  #quoteLine = 1;

  constructor({ delimiter, quote, comment }, onRecord) {
    this.#delimiter = delimiter;
    this.#quote = quote;
    this.#comment = comment ?? null;
    this.#onRecord = onRecord;
  }

  write(chunk) {
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      switch (this.#state) {
        case FIELD_START:
          if (ch === this.#comment && this.#row.length === 0) this.#state = COMMENT;
          else if (ch === this.#quote) {
            this.#state = QUOTED;
            this.#quoteLine = this.#line;
          } else if (ch === this.#delimiter) this.#endField();
          else if (ch === '\n') this.#endRow();
          else {
            this.#field += ch;
            this.#state = UNQUOTED;
          }
          break;
        case UNQUOTED:
          if (ch === this.#delimiter) this.#endField();
          else if (ch === '\n') this.#endRow();
          else this.#field += ch;
          break;
        case QUOTED:
          if (ch !== this.#quote) {
            if (ch === '\n') this.#line++;
            this.#field += ch;
          } else if (chunk[i + 1] === this.#quote) {
            // A doubled quote inside a quoted field is one literal quote.
            this.#field += this.#quote;
            i++;
          } else {
            this.#state = AFTER_QUOTE;
          }
          break;
        case AFTER_QUOTE:
          if (ch === this.#delimiter) this.#endField();
          else if (ch === '\n') this.#endRow();
          else throw new CsvError(`Unexpected ${JSON.stringify(ch)} after a closing quote`, this.#line);
          break;
        default: // COMMENT
          if (ch === '\n') {
            this.#state = FIELD_START;
            this.#line++;
            this.#rowLine = this.#line;
          }
      }
    }
  }

  end() {
    if (this.#state === QUOTED) throw new CsvError('Unterminated quoted field', this.#quoteLine);
    // The last record need not end with a newline; a comment is no record at all.
    if (this.#state === COMMENT) return;
    if (this.#state !== FIELD_START || this.#row.length > 0) this.#endRow();
  }

  #endField() {
    this.#row.push(this.#field);
    this.#field = '';
    this.#state = FIELD_START;
  }

  #endRow() {
    this.#endField();
    const fields = this.#row;
    this.#row = [];
    this.#onRecord(fields, this.#rowLine);
    this.#line++;
    this.#rowLine = this.#line;
  }
}
