// One tool call, expandable: the arguments the model wrote and the result laid out as tables.
import { useState } from "react";
import { cell, resultView, type ToolCallView } from "./turns";

export function ToolCallPanel({ call }: { call: ToolCallView }) {
  const status = call.done ? String((call.result as { status?: string } | null)?.status ?? "done") : "running";
  const [open, setOpen] = useState(false);
  // The body (possibly large tables) is built only once the reader opens the panel.
  const view = open && call.done ? resultView(call.result) : null;
  return (
    <details className="toolcall" data-tool={call.name} data-status={status} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <span className="toolname">{call.name}</span>
        {call.agent ? <span className="muted"> · {call.agent}</span> : null}
        <span className={`pill pill-${status}`}>{status}</span>
      </summary>
      {open ? (
      <div className="toolbody">
        <h4>Arguments</h4>
        <pre className="args">{JSON.stringify(call.args, null, 2)}</pre>
        {view ? (
          <>
            <h4>Result</h4>
            {view.fields.length ? (
              <dl className="fields">
                {view.fields.map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
            {view.tables.map((t) => (
              <div className="tablewrap" key={t.title}>
                <table>
                  <caption>{t.title}</caption>
                  <thead>
                    <tr>
                      {t.columns.map((c) => (
                        <th key={c} scope="col">
                          {c}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {t.rows.map((row, i) => (
                      <tr key={i}>
                        {t.columns.map((c) => (
                          <td key={c}>{cell(row[c])}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
          </>
        ) : null}
      </div>
      ) : null}
    </details>
  );
}
