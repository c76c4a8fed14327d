// The signed-in user's report schedules (crons, issue 15): what, when, next run and how the last run went.

/** A cron as `POST /runs/crons/search` returns it (fxdesk adds `timezone` and `last_tick`). */
export interface CronRecord {
  cron_id: string;
  thread_id?: string | null;
  schedule: string;
  timezone?: string | null;
  enabled?: boolean;
  next_run_date?: string | null;
  metadata?: Record<string, unknown> | null;
  last_tick?: { tick?: string; at?: string; run_id?: string; thread_id?: string; error?: string } | null;
}

export type LastStatus = "never" | "running" | "success" | "error" | "not_run";

export interface ScheduleRow {
  id: string;
  title: string;
  when: string;
  book: string | null;
  threadId: string | null;
  nextRun: string | null;
  lastAt: string | null;
  lastStatus: LastStatus;
  lastDetail: string;
  runId: string | null;
  runThreadId: string | null;
}

/** The minimal client the panel needs (the SDK's `client.crons` and `client.runs` satisfy it). */
export interface SchedulesClient {
  crons: {
    search(query: { limit?: number; sortBy?: "created_at"; sortOrder?: "asc" | "desc" }): Promise<unknown[]>;
    delete(cronId: string): Promise<void>;
  };
  runs: { get(threadId: string, runId: string): Promise<{ status: string }> };
}

/** Turn a cron record into a row: a chat schedule's title and words, else the raw cron and timezone. */
export function scheduleRow(cron: CronRecord): ScheduleRow {
  const meta = cron.metadata ?? {};
  const tz = cron.timezone ?? "UTC";
  const tick = cron.last_tick ?? null;
  let lastStatus: LastStatus = "never";
  let lastDetail = "";
  if (tick) {
    if (tick.error) {
      lastStatus = "not_run";
      lastDetail = tick.error;
    } else {
      lastStatus = "running";
    }
  }
  return {
    id: cron.cron_id,
    title: typeof meta.title === "string" ? meta.title : "Scheduled run",
    when: typeof meta.description === "string" ? meta.description : `cron ${cron.schedule} (${tz})`,
    book: typeof meta.book === "string" ? meta.book : null,
    threadId: cron.thread_id ?? null,
    nextRun: cron.enabled === false ? null : cron.next_run_date ?? null,
    lastAt: tick ? tick.tick ?? tick.at ?? null : null,
    lastStatus,
    lastDetail,
    runId: tick?.run_id && !tick.error ? tick.run_id : null,
    runThreadId: tick?.thread_id ?? cron.thread_id ?? null,
  };
}

/** Map a run's status to the row's: success, error (error/timeout/interrupted) or still running. */
export function runStatus(status: string): LastStatus {
  if (status === "success") return "success";
  if (status === "pending" || status === "running") return "running";
  return "error";
}

/** Load the user's schedules, newest first, each with its last run's status read from the run itself. */
export async function loadSchedules(client: SchedulesClient): Promise<ScheduleRow[]> {
  const found = (await client.crons.search({ limit: 100, sortBy: "created_at", sortOrder: "desc" })) as CronRecord[];
  const rows = found.map(scheduleRow);
  return Promise.all(
    rows.map(async (row) => {
      if (!row.runId || !row.runThreadId) return row;
      try {
        const run = await client.runs.get(row.runThreadId, row.runId);
        return { ...row, lastStatus: runStatus(run.status), lastDetail: run.status };
      } catch {
        return { ...row, lastDetail: "run record no longer available" };
      }
    }),
  );
}

/** Short local time for a timestamp (the schedule's own zone is in `when`). */
export function shortTime(iso: string | null): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
