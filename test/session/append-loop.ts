/**
 * Child process for the crash test: appends large messages to a session until killed.
 * argv: <session dir>. Prints the session file path once the file exists.
 */
import { SessionManager } from "../../src/session/session-manager.ts";
import { assistant, user } from "./helpers.ts";

const dir = process.argv[2];
if (!dir) throw new Error("usage: append-loop.ts <dir>");
const manager = SessionManager.create("/crash/test", dir);
manager.appendMessage(user("start"));
manager.appendMessage(assistant("started"));
process.stdout.write(`${manager.getSessionFile()}\n`);
const filler = "y".repeat(200_000);
for (let i = 0; ; i++) {
	manager.appendMessage(i % 2 === 0 ? user(`u${i} ${filler}`) : assistant(`a${i} ${filler}`));
}
