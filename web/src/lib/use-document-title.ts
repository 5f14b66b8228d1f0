import { useEffect } from "react";
import { useAppConfig } from "./app-config.js";

/** "Sign in · Acme". */
export function useDocumentTitle(title: string): void {
  const { app_name } = useAppConfig();
  useEffect(() => {
    document.title = `${title} · ${app_name}`;
  }, [title, app_name]);
}
