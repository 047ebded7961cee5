// client.js is the export page's browser script; export-html.ts embeds its source text (`with { type: "text" }`).
declare const source: string;
export default source;
