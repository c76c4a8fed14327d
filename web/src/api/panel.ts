// The desk panel's read endpoints (server/routes/desk_panel.py): each returns the scoped tools' results.
export interface ToolResult {
  name: string;
  args: Record<string, unknown>;
  result: Record<string, unknown> & { status?: string; message?: string };
}

export interface PositionsResponse {
  user_id: string;
  nop: ToolResult;
  limits: ToolResult;
  var: ToolResult;
}

export class PanelError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

export async function getJson<T>(fetcher: typeof fetch, path: string): Promise<T> {
  const res = await fetcher(path);
  if (!res.ok) throw new PanelError(res.status, `${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export const panelApi = (fetcher: typeof fetch) => ({
  positions: () => getJson<PositionsResponse>(fetcher, "/desk/panel/positions"),
  pnl: (days = 10) => getJson<{ days: ToolResult[] }>(fetcher, `/desk/panel/pnl?days=${days}`),
  journal: () => getJson<{ stats: ToolResult }>(fetcher, "/desk/panel/journal"),
  behaviour: () => getJson<{ report: ToolResult }>(fetcher, "/desk/panel/behaviour"),
  rates: (pair: string) =>
    getJson<{ history: ToolResult }>(fetcher, `/desk/panel/rates?pair=${encodeURIComponent(pair)}`),
});
