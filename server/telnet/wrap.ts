// Word wrap for a telnet client's window width (from NAWS). Wraps at spaces; a word longer than
// the width is split. Works on plain text, before colour is added.
export function wrap(text: string, width: number): string {
  if (width < 20) return text;
  return text
    .split('\n')
    .map((line) => wrapLine(line, width))
    .join('\n');
}

function wrapLine(line: string, width: number): string {
  if (line.length <= width) return line;
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    let w = word;
    while (w.length > width) {
      if (current) {
        out.push(current);
        current = '';
      }
      out.push(w.slice(0, width));
      w = w.slice(width);
    }
    if (!current) current = w;
    else if (current.length + 1 + w.length <= width) current += ' ' + w;
    else {
      out.push(current);
      current = w;
    }
  }
  if (current) out.push(current);
  return out.join('\n');
}
