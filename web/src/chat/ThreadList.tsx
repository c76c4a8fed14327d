// The signed-in user's threads (threads search is owner-scoped): open, new, rename, delete.
import { useState } from "react";

export interface ThreadItem {
  thread_id: string;
  title: string;
  updated_at?: string;
}

interface Props {
  threads: ThreadItem[];
  activeId: string | null;
  onOpen: (id: string) => void;
  onNew: () => void;
  onRename: (id: string, title: string) => void;
  onDelete: (id: string) => void;
}

export function ThreadList({ threads, activeId, onOpen, onNew, onRename, onDelete }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  return (
    <nav className="threads" aria-label="Conversations">
      <button type="button" className="primary" onClick={onNew}>
        + New conversation
      </button>
      <ul>
        {threads.map((t) => (
          <li key={t.thread_id} className={t.thread_id === activeId ? "active" : undefined}>
            {editing === t.thread_id ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  onRename(t.thread_id, draft.trim() || t.title);
                  setEditing(null);
                }}
              >
                <label className="sr-only" htmlFor={`rename-${t.thread_id}`}>
                  New name
                </label>
                <input
                  id={`rename-${t.thread_id}`}
                  value={draft}
                  autoFocus
                  onChange={(e) => setDraft(e.target.value)}
                  onKeyDown={(e) => e.key === "Escape" && setEditing(null)}
                />
                <button type="submit">Save</button>
              </form>
            ) : (
              <>
                <button
                  type="button"
                  className="threadlink"
                  aria-current={t.thread_id === activeId ? "true" : undefined}
                  onClick={() => onOpen(t.thread_id)}
                >
                  {t.title}
                </button>
                <button
                  type="button"
                  className="icon"
                  aria-label={`Rename ${t.title}`}
                  onClick={() => {
                    setEditing(t.thread_id);
                    setDraft(t.title);
                  }}
                >
                  ✎
                </button>
                <button type="button" className="icon" aria-label={`Delete ${t.title}`} onClick={() => onDelete(t.thread_id)}>
                  ✕
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
