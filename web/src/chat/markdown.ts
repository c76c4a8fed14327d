// Markdown (GFM tables) to HTML for answers; raw HTML in a message is shown as text, never rendered.
import { Marked } from "marked";

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const md = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, text }) {
      const safe = /^(https?:|mailto:|#|\/)/i.test(href) ? href : "#";
      return `<a href="${escapeHtml(safe)}" rel="noreferrer noopener" target="_blank">${escapeHtml(text)}</a>`;
    },
  },
});

export function renderMarkdown(text: string): string {
  return md.parse(text) as string;
}
