// Renders an answer's markdown; re-parsed on every streamed chunk (answers are a few KB).
import { useMemo } from "react";
import { renderMarkdown } from "./markdown";

export function Markdown({ text, streaming }: { text: string; streaming?: boolean }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return (
    <div
      className="markdown"
      data-streaming={streaming ? "true" : undefined}
      data-chars={text.length}
      dangerouslySetInnerHTML={{ __html: html }} />
  );
}
