// The entry point: the compile cache goes on before the server's modules load (see compile-cache.ts).
import { compileCacheDirectory, enableCompileCache } from "./compile-cache.js";
import { dataDirOf, readEnvironment } from "./environment.js";

enableCompileCache(compileCacheDirectory(dataDirOf(readEnvironment())));
await import("./run-server.js");
