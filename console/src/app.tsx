// The console's frame: sign-in with the admin key (kept in sessionStorage, gone when the tab closes),
// navigation, and client-side routes under /console/ (the gateway serves index.html for any of them).
import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError, storedKey, storeKey } from "./api.js";
import { AuditPage } from "./pages/audit.js";
import { ComparePage } from "./pages/compare.js";
import { EvalPage } from "./pages/eval.js";
import { KeysPage } from "./pages/keys.js";
import { ModelsPage } from "./pages/models.js";
import { OverviewPage } from "./pages/overview.js";
import { PlaygroundPage } from "./pages/playground.js";
import { PolicyPage } from "./pages/policy.js";
import { UsagePage } from "./pages/usage.js";

const BASE = "/console/";

const PAGES = [
  { path: "", label: "Overview", view: OverviewPage },
  { path: "playground", label: "Playground", view: PlaygroundPage },
  { path: "compare", label: "Compare", view: ComparePage },
  { path: "models", label: "Models", view: ModelsPage },
  { path: "keys", label: "Keys", view: KeysPage },
  { path: "usage", label: "Usage", view: UsagePage },
  { path: "audit", label: "Audit", view: AuditPage },
  { path: "policy", label: "Policy tester", view: PolicyPage },
  { path: "eval", label: "Eval", view: EvalPage },
] as const;

function currentPath(): string {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : "";
  return p.replace(/\/$/, "");
}

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api("/admin/breakers", { key: key.trim() });
      storeKey(key.trim());
      onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 403 ? "This is a virtual key; the console needs the admin key." : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <form onSubmit={submit} className="card">
        <h1>inhouse</h1>
        <p className="muted">Sign in with the gateway's admin key. It stays in this tab only.</p>
        <label>
          Admin key
          <input type="password" name="admin-key" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} autoFocus />
        </label>
        {error ? <p className="error">{error}</p> : null}
        <button type="submit" disabled={busy || key.trim() === ""}>
          {busy ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}

export function App() {
  const [signedIn, setSignedIn] = useState(storedKey() !== null);
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const onPop = () => setPath(currentPath());
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  const page = PAGES.find((p) => p.path === path) ?? PAGES[0];
  const go = (to: string) => (e: React.MouseEvent) => {
    e.preventDefault();
    history.pushState(null, "", BASE + to);
    setPath(to);
  };
  const View = page.view;
  return (
    <div className="layout">
      <nav className="sidebar">
        <div className="brand">inhouse</div>
        <ul>
          {PAGES.map((p) => (
            <li key={p.path}>
              <a href={BASE + p.path} onClick={go(p.path)} className={p === page ? "active" : undefined} aria-current={p === page ? "page" : undefined}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
        <button
          className="link signout"
          onClick={() => {
            storeKey(null);
            setSignedIn(false);
          }}
        >
          Sign out
        </button>
      </nav>
      <main className="content">
        <h1>{page.label}</h1>
        <View />
      </main>
    </div>
  );
}
