// Child process for the concurrent-refresh test: waits for the start signal file, then asks for the key.
import { existsSync } from "node:fs";
import { AuthStorage } from "../../../src/auth/auth-storage.ts";

const [authPath, goFile] = process.argv.slice(2);
if (!authPath || !goFile) throw new Error("usage: refresh-child.ts <auth.json> <go-file>");
const auth = new AuthStorage(authPath);
while (!existsSync(goFile)) await Bun.sleep(5);
console.log(await auth.getApiKey("anthropic"));
