import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ToolCallPanel } from "./ToolCallPanel";

const call = {
  id: "c1",
  name: "get_net_open_position",
  agent: "position_risk",
  args: { pair: "EURUSD" },
  result: { status: "ok", currencies: [{ book: "FX-G10", currency: "EUR", position: 203300000 }] },
  done: true,
};

describe("ToolCallPanel", () => {
  it("is collapsed with its status, and shows arguments and the result table once opened", () => {
    const { container } = render(<ToolCallPanel call={call} />);
    const details = container.querySelector("details")!;
    expect(details.dataset.status).toBe("ok");
    expect(container.querySelector("table")).toBeNull();
    details.open = true;
    fireEvent(details, new Event("toggle"));
    expect(screen.getByText(/"pair": "EURUSD"/)).toBeTruthy();
    const cells = [...container.querySelectorAll("tbody td")].map((td) => td.textContent);
    expect(cells).toEqual(["FX-G10", "EUR", "203,300,000"]);
    expect(container.querySelector("caption")?.textContent).toBe("currencies");
  });

  it("says running before the result arrives", () => {
    const { container } = render(<ToolCallPanel call={{ ...call, result: undefined, done: false }} />);
    expect(container.querySelector("details")!.dataset.status).toBe("running");
  });

  it("shows a refusal's status", () => {
    const refused = { ...call, result: { status: "not_entitled", message: "Not entitled" } };
    const { container } = render(<ToolCallPanel call={refused} />);
    expect(container.querySelector("details")!.dataset.status).toBe("not_entitled");
  });
});
