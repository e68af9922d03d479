// An incremental HTTP/1.1 response parser (RFC 9112) for the upstream client: the status line and header
// fields, then the body framed by Content-Length, chunked transfer coding, or the connection's close.
// Pure: bytes in, events out; the connection decides what to do with them. Strict where leniency would
// let a response be read two ways (obsolete line folding, conflicting lengths, bare CR or LF in a field).

/** A response that is not valid HTTP/1.1; the connection it came on cannot be trusted further. */
export class MalformedResponse extends Error {
  readonly code = MALFORMED_RESPONSE;
}

/** Error code of MalformedResponse, read by the error mapping. */
export const MALFORMED_RESPONSE = "INHOUSE_MALFORMED_RESPONSE";

export interface ResponseHead {
  status: number;
  /** Lower-case names; repeated fields joined with ", ". */
  headers: Record<string, string>;
  /** The connection may carry another request once this response's body has ended. */
  keepAlive: boolean;
  /** `Keep-Alive: timeout=N` in milliseconds, when the server announced how long it keeps idle connections. */
  keepAliveMs: number | undefined;
}

export interface ParserEvents {
  head(head: ResponseHead): void;
  data(chunk: Buffer): void;
  /** The body ended. `clean` is false when bytes followed it (the connection must not be reused). */
  end(clean: boolean): void;
}

/** Larger status line + header section than this is refused (node's own limit is 16 KiB). */
export const MAX_HEAD_BYTES = 64 * 1024;
/** A chunk-size line (size and extensions) or the trailer section past these is refused. */
const MAX_CHUNK_LINE = 4 * 1024;
const MAX_TRAILERS = 16 * 1024;

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done,
}

const CRLFCRLF = Buffer.from("\r\n\r\n");
const EMPTY = Buffer.alloc(0);
const TRAILING_WS = /[ \t]+$/;
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: [^\r\n]*)?$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Field values: visible ASCII, obs-text, space and tab (RFC 9110 §5.5); CR, LF and NUL are refused.
const BAD_VALUE = /[\0\r\n]/;
const HEX = /^[0-9A-Fa-f]{1,15}$/;

export class ResponseParser {
  private state = State.Head;
  /** Pieces of a head that arrived in more than one, their total size, and the last 3 bytes kept. */
  private headPieces: Buffer[] | undefined;
  private headBytes = 0;
  private headTail: Buffer = EMPTY;
  private remaining = 0;
  /** Partial chunk-size or trailer line carried across pieces. */
  private line = "";
  private trailerBytes = 0;
  private ended = false;
  private readonly events: ParserEvents;

  constructor(events: ParserEvents) {
    this.events = events;
  }

  /** Ready for the next response on the same connection. */
  reset(): void {
    this.state = State.Head;
    this.headPieces = undefined;
    this.headBytes = 0;
    this.headTail = EMPTY;
    this.line = "";
    this.ended = false;
  }

  /** The whole response was read. */
  get done(): boolean {
    return this.state === State.Done;
  }

  /** True until the status line and header fields of the final (non-1xx) response are in. */
  get inHead(): boolean {
    return this.state === State.Head;
  }

  /** Feeds the next bytes from the connection; throws MalformedResponse. */
  push(buf: Buffer): void {
    let at = 0;
    while (at < buf.length && this.state !== State.Done) {
      switch (this.state) {
        case State.Head:
          at = this.readHead(buf, at);
          break;
        case State.Length:
          at = this.readData(buf, at, State.Done);
          break;
        case State.ChunkSize:
        case State.Trailers:
        case State.ChunkDataEnd:
          at = this.readLine(buf, at);
          break;
        case State.ChunkData:
          at = this.readData(buf, at, State.ChunkDataEnd);
          break;
        case State.UntilClose:
          this.events.data(at === 0 ? buf : buf.subarray(at));
          at = buf.length;
          break;
      }
    }
    // Bytes after the end of the response mean the connection is out of step: it must not be reused.
    if (this.state === State.Done && !this.ended) this.end(at === buf.length);
  }

  /** The connection closed. Ends a body that runs until close; anything else cut short throws. */
  eof(): void {
    if (this.state === State.UntilClose) {
      this.state = State.Done;
      this.end(true);
      return;
    }
    if (this.state === State.Done) return;
    throw Object.assign(new Error("the upstream closed the connection before the response was complete"), { code: "ECONNRESET" });
  }

  private readHead(buf: Buffer, at: number): number {
    const pieces = this.headPieces;
    if (pieces === undefined) {
      const end = buf.indexOf(CRLFCRLF, at);
      if (end >= 0) {
        this.checkHeadSize(end - at);
        this.onHead(buf.toString("latin1", at, end));
        return end + 4;
      }
      this.keepHeadPiece(buf.subarray(at));
      return buf.length;
    }
    // The blank line may straddle pieces: search the last 3 bytes kept together with the new piece.
    const tail = this.headTail;
    const probe = Buffer.concat([tail, buf.subarray(at)]);
    const found = probe.indexOf(CRLFCRLF);
    if (found < 0) {
      this.keepHeadPiece(buf.subarray(at));
      return buf.length;
    }
    const end = this.headBytes - tail.length + found;
    this.checkHeadSize(end);
    const whole = Buffer.concat([...pieces, buf.subarray(at)]);
    this.headPieces = undefined;
    this.headBytes = 0;
    this.onHead(whole.toString("latin1", 0, end));
    return at + (end + 4 - (whole.length - (buf.length - at)));
  }

  /** Keeps an incomplete head piece (copied: the connection's buffer is not ours to hold). */
  private keepHeadPiece(piece: Buffer): void {
    const copy = Buffer.from(piece);
    (this.headPieces ??= []).push(copy);
    this.headBytes += copy.length;
    const last = copy.length >= 3 ? copy : Buffer.concat([this.headTail, copy]);
    this.headTail = last.subarray(Math.max(0, last.length - 3));
    // Up to 3 of the bytes kept may be the start of the blank line, which does not count.
    this.checkHeadSize(this.headBytes - 3);
  }

  private checkHeadSize(n: number): void {
    if (n > MAX_HEAD_BYTES) throw new MalformedResponse(`the response head is larger than ${MAX_HEAD_BYTES} bytes`);
  }

  private onHead(text: string): void {
    const lines = text.split("\r\n");
    const m = STATUS_LINE.exec(lines[0]!);
    if (!m) throw new MalformedResponse(`not an HTTP/1.x status line: ${JSON.stringify(lines[0]!.slice(0, 40))}`);
    const minor = m[1]!;
    const status = Number(m[2]);
    const headers: Record<string, string> = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(":");
      if (colon <= 0) throw new MalformedResponse(line.length > 0 && (line[0] === " " || line[0] === "\t") ? "obsolete line folding in a header field" : "a header line without a name");
      const name = line.slice(0, colon);
      if (!TOKEN.test(name)) throw new MalformedResponse("an invalid header field name");
      const raw = line.slice(colon + 1);
      if (BAD_VALUE.test(raw)) throw new MalformedResponse("an invalid character in a header field value");
      const value = trimOws(raw);
      const key = name.toLowerCase();
      const prev = headers[key];
      headers[key] = prev === undefined ? value : `${prev}, ${value}`;
    }
    // 1xx are interim (100 Continue, 103 Early Hints): the final response follows on the same connection.
    if (status < 200) {
      if (status === 101) throw new MalformedResponse("an unrequested protocol switch (101)");
      return;
    }
    const connection = headers.connection?.toLowerCase();
    let keepAlive = minor === "1" ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
    const te = headers["transfer-encoding"];
    const cl = headers["content-length"];
    let length: number | "chunked" | "close";
    if (status === 204 || status === 304) length = 0;
    else if (te !== undefined) {
      const codings = te.toLowerCase().split(",");
      length = codings[codings.length - 1]!.trim() === "chunked" ? "chunked" : "close";
      // Both framings at once (RFC 9112 §6.1): the coding wins, and the connection is not reused.
      if (cl !== undefined) keepAlive = false;
    } else if (cl !== undefined) length = contentLength(cl);
    else length = "close";
    if (length === "close") keepAlive = false;
    this.events.head({ status, headers, keepAlive, keepAliveMs: keepAlive ? keepAliveTimeout(headers["keep-alive"]) : undefined });
    if (length === "chunked") {
      this.state = State.ChunkSize;
      this.line = "";
    } else if (length === "close") this.state = State.UntilClose;
    else if (length === 0) this.state = State.Done;
    else {
      this.state = State.Length;
      this.remaining = length;
    }
  }

  /** Up to `remaining` body bytes (a Content-Length body or one chunk's data); then the state `after`. */
  private readData(buf: Buffer, at: number, after: State): number {
    const n = Math.min(this.remaining, buf.length - at);
    this.remaining -= n;
    this.events.data(at === 0 && n === buf.length ? buf : buf.subarray(at, at + n));
    if (this.remaining === 0) this.state = after;
    return at + n;
  }

  /** Chunk-size lines, the CRLF after chunk data, and trailer lines: up to the next CRLF. */
  private readLine(buf: Buffer, at: number): number {
    const lf = buf.indexOf(10, at);
    const end = lf < 0 ? buf.length : lf + 1;
    this.line += buf.toString("latin1", at, end);
    if (this.state === State.Trailers) {
      this.trailerBytes += end - at;
      if (this.trailerBytes > MAX_TRAILERS) throw new MalformedResponse("a trailer section larger than 16 KiB");
    } else if (this.line.length > MAX_CHUNK_LINE) throw new MalformedResponse("a chunk-size line longer than 4 KiB");
    if (lf < 0) return end;
    const line = this.line;
    this.line = "";
    if (line.length < 2 || line.charCodeAt(line.length - 2) !== 13) throw new MalformedResponse("a bare LF in the chunked body");
    const content = line.slice(0, -2);
    if (this.state === State.ChunkDataEnd) {
      if (content.length !== 0) throw new MalformedResponse("chunk data longer than its declared size");
      this.state = State.ChunkSize;
    } else if (this.state === State.ChunkSize) {
      const semi = content.indexOf(";");
      // Whitespace may precede the extensions (BWS), never the size.
      const hex = (semi < 0 ? content : content.slice(0, semi)).replace(TRAILING_WS, "");
      if (!HEX.test(hex)) throw new MalformedResponse("an invalid chunk size");
      const size = parseInt(hex, 16);
      if (size === 0) {
        this.state = State.Trailers;
        this.trailerBytes = 0;
      } else {
        this.state = State.ChunkData;
        this.remaining = size;
      }
    } else if (content.length === 0) {
      // The blank line that ends the trailer section (trailer fields themselves are not used).
      this.state = State.Done;
    }
    return end;
  }

  private end(clean: boolean): void {
    this.ended = true;
    this.events.end(clean);
  }
}

/** Strips optional whitespace (space and tab only, RFC 9110 §5.6.3) from both ends. */
function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function hasToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  if (value === token) return true;
  for (const part of value.split(",")) if (part.trim() === token) return true;
  return false;
}

/** One length, or the same length repeated (a proxy may have joined duplicate fields); anything else is refused. */
function contentLength(value: string): number {
  const parts = value.split(",");
  const first = parts[0]!.trim();
  if (!/^\d{1,15}$/.test(first)) throw new MalformedResponse("an invalid Content-Length");
  for (let i = 1; i < parts.length; i++) if (parts[i]!.trim() !== first) throw new MalformedResponse("conflicting Content-Length values");
  return Number(first);
}

function keepAliveTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /(?:^|[,;\s])timeout\s*=\s*(\d{1,6})/i.exec(value);
  return m ? Number(m[1]) * 1000 : undefined;
}
