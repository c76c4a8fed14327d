import { describe, expect, it, vi } from "vitest";
import { loadSchedules, runStatus, scheduleRow, type CronRecord, type SchedulesClient } from "./schedules";

const chatSchedule: CronRecord = {
  cron_id: "c1",
  thread_id: "inbox-1",
  schedule: "0 17 * * 1-5",
  timezone: "America/New_York",
  enabled: true,
  next_run_date: "2026-12-07T22:00:00+00:00",
  metadata: { kind: "desk_report", title: "limit breaches", description: "every weekday at 17:00 (America/New_York)", book: "FX-G10" },
  last_tick: { tick: "2026-12-04T22:00:00+00:00", run_id: "r1", thread_id: "inbox-1" },
};
const apiCron: CronRecord = { cron_id: "c2", schedule: "*/5 * * * *", next_run_date: null, enabled: false, last_tick: null };
const revoked: CronRecord = { ...chatSchedule, cron_id: "c3", last_tick: { tick: "2026-12-04T22:00:00+00:00", error: "not entitled to FX-EM" } };

function fakeClient(runs: Record<string, string>, crons: CronRecord[] = [chatSchedule, apiCron, revoked]): SchedulesClient {
  return {
    crons: { search: vi.fn(async () => crons), delete: vi.fn(async () => undefined) },
    runs: {
      get: vi.fn(async (_t: string, runId: string) => {
        if (!(runId in runs)) throw new Error("404");
        return { status: runs[runId] };
      }),
    },
  };
}

describe("schedules", () => {
  it("shows a chat schedule by its title and words, an API cron by its expression", () => {
    const row = scheduleRow(chatSchedule);
    expect([row.title, row.when, row.book, row.threadId]).toEqual(["limit breaches", "every weekday at 17:00 (America/New_York)", "FX-G10", "inbox-1"]);
    const raw = scheduleRow(apiCron);
    expect([raw.title, raw.when, raw.nextRun, raw.lastStatus]).toEqual(["Scheduled run", "cron */5 * * * * (UTC)", null, "never"]);
  });

  it("reads the last run's status from the run, and a tick that was not run from the cron", async () => {
    const rows = await loadSchedules(fakeClient({ r1: "success" }));
    expect(rows.map((r) => [r.id, r.lastStatus])).toEqual([
      ["c1", "success"],
      ["c2", "never"],
      ["c3", "not_run"],
    ]);
    expect(rows[2].lastDetail).toBe("not entitled to FX-EM");
    const failed = await loadSchedules(fakeClient({ r1: "error" }, [chatSchedule]));
    expect(failed[0].lastStatus).toBe("error");
  });

  it("keeps a row whose run record expired, saying so", async () => {
    const [row] = await loadSchedules(fakeClient({}, [chatSchedule]));
    expect([row.lastStatus, row.lastDetail]).toEqual(["running", "run record no longer available"]);
  });

  it("maps run statuses", () => {
    expect(["success", "pending", "running", "error", "timeout", "interrupted"].map(runStatus)).toEqual([
      "success", "running", "running", "error", "error", "error",
    ]);
  });
});
