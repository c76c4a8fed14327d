import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown";

describe("renderMarkdown", () => {
  it("renders GFM tables", () => {
    const html = renderMarkdown("| Book | Position |\n|---|---|\n| FX-G10 | 203,300,000 |\n");
    expect(html).toContain("<table>");
    expect(html).toContain("<td>203,300,000</td>");
  });

  it("shows raw HTML as text instead of rendering it", () => {
    const html = renderMarkdown('hello <img src=x onerror="alert(1)">');
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img");
  });

  it("neutralises javascript: links", () => {
    expect(renderMarkdown("[x](javascript:alert(1))")).toContain('href="#"');
  });
});
