import type { ReactNode } from "react";

// Live regions are always in the DOM, so assistive technology announces what appears in them.

export function ErrorMessage({ id, children }: { id?: string; children?: ReactNode }) {
  return (
    <div id={id} className="message message-error" role="alert">
      {children}
    </div>
  );
}

export function StatusMessage({
  id,
  quiet,
  children,
}: {
  id?: string;
  quiet?: boolean;
  children?: ReactNode;
}) {
  return (
    <div id={id} className={quiet ? "message message-quiet" : "message message-status"} role="status">
      {children}
    </div>
  );
}

export function Loading({ label }: { label: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}
