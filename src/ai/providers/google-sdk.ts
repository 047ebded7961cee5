// The Google SDK pieces the Gemini and Vertex AI providers use, in one module: the binary carries it as an island,
// JavaScript outside the bytecode, imported on the first Google request (src/util/embedded-asset.ts, GOOGLE_SDK).
export { GoogleGenAI } from "@google/genai";
export { OAuth2Client } from "google-auth-library";
