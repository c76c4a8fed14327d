// The signed-in user's report schedules beside the chat: when they run, their last result, open, delete.
import { useCallback, useEffect, useState } from "react";
import { loadSchedules, shortTime, type ScheduleRow, type SchedulesClient } from "../api/schedules";

interface Props {
  client: SchedulesClient;
  refreshKey: number;
  onOpen: (threadId: string) => void;
}

const LABEL: Record<ScheduleRow["lastStatus"], string> = {
  never: "not run yet",
  running: "running",
  success: "delivered",
  error: "failed",
  not_run: "not run",
};

export function Schedules({ client, refreshKey, onOpen }: Props) {
  const [rows, setRows] = useState<ScheduleRow[] | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(async () => {
    try {
      setRows(await loadSchedules(client));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [client]);
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  const remove = async (row: ScheduleRow) => {
    if (!window.confirm(`Delete the schedule "${row.title}, ${row.when}"?`)) return;
    try {
      await client.crons.delete(row.id);
    } finally {
      await load();
    }
  };

  return (
    <section aria-labelledby="h-schedules" data-testid="schedules">
      <h2 id="h-schedules">Scheduled reports</h2>
      {failed ? <p className="muted">Schedules could not load.</p> : null}
      {rows && rows.length === 0 ? (
        <p className="muted">None yet — ask e.g. "every weekday at 17:00 New York send me the limit breaches".</p>
      ) : null}
      <ul className="plain schedules">
        {(rows ?? []).map((row) => (
          <li key={row.id} data-schedule={row.id} data-last-status={row.lastStatus}>
            <div>
              <strong>{row.title}</strong>
              {row.book ? ` (${row.book})` : ""}, {row.when}
            </div>
            <div className="muted">
              next {shortTime(row.nextRun)} · last {row.lastAt ? `${shortTime(row.lastAt)}: ` : ""}
              <span className={`last ${row.lastStatus}`} title={row.lastDetail}>
                {LABEL[row.lastStatus]}
              </span>
            </div>
            <div className="actions">
              {row.threadId ? (
                <button type="button" onClick={() => onOpen(row.threadId!)}>
                  Open reports
                </button>
              ) : null}
              <button type="button" onClick={() => void remove(row)} aria-label={`Delete schedule ${row.title}, ${row.when}`}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
