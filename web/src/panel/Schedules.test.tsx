import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { CronRecord, SchedulesClient } from "../api/schedules";
import { Schedules } from "./Schedules";

const cron: CronRecord = {
  cron_id: "c1",
  thread_id: "inbox-1",
  schedule: "0 17 * * 1-5",
  timezone: "America/New_York",
  next_run_date: "2026-12-07T22:00:00+00:00",
  metadata: { title: "limit breaches", description: "every weekday at 17:00 (America/New_York)" },
  last_tick: { tick: "2026-12-04T22:00:00+00:00", run_id: "r1", thread_id: "inbox-1" },
};

describe("Schedules panel", () => {
  it("lists the user's schedules with the last result, opens the inbox and deletes after confirming", async () => {
    let crons = [cron];
    const client: SchedulesClient = {
      crons: {
        search: vi.fn(async () => crons),
        delete: vi.fn(async (id: string) => {
          crons = crons.filter((c) => c.cron_id !== id);
        }),
      },
      runs: { get: vi.fn(async () => ({ status: "success" })) },
    };
    const onOpen = vi.fn();
    const { container } = render(<Schedules client={client} refreshKey={0} onOpen={onOpen} />);
    await waitFor(() => expect(container.querySelector("[data-schedule=c1]")?.getAttribute("data-last-status")).toBe("success"));
    expect(screen.getByText(/every weekday at 17:00 \(America\/New_York\)/)).toBeTruthy();
    expect(screen.getByText("delivered")).toBeTruthy();
    fireEvent.click(screen.getByText("Open reports"));
    expect(onOpen).toHaveBeenCalledWith("inbox-1");
    vi.spyOn(window, "confirm").mockReturnValue(true);
    fireEvent.click(screen.getByRole("button", { name: /Delete schedule limit breaches/ }));
    await waitFor(() => expect(container.querySelector("[data-schedule=c1]")).toBeNull());
    expect(client.crons.delete).toHaveBeenCalledWith("c1");
    expect(screen.getByText(/None yet/)).toBeTruthy();
  });
});
