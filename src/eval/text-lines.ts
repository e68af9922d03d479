// Non-blank lines of a suite file with their 1-based numbers, for error messages that point at a line.

export interface TextLine {
  text: string;
  line: number;
}

export function textLines(text: string): TextLine[] {
  const out: TextLine[] = [];
  text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((raw, i) => {
      if (raw.trim() !== "") out.push({ text: raw, line: i + 1 });
    });
  return out;
}
