/**
 * The one line an operator needs when the server cannot open its port, instead of a stack
 * trace. Undefined for any other error, which stays as it is.
 */
export function describeListenError(error: unknown, host: string, port: number): string | undefined {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  const where = `PORT=${port} on HOST=${host}`;
  if (code === "EADDRINUSE")
    return `cannot listen: ${where} is already in use; stop the other process or set PORT to a free port`;
  if (code === "EACCES")
    return `cannot listen: no permission to open ${where}; ports below 1024 need privileges, set PORT to 1024 or above`;
  if (code === "EADDRNOTAVAIL")
    return `cannot listen: HOST=${host} is not an address of this machine; set HOST (0.0.0.0 listens on all)`;
  return undefined;
}
