/*
 * The few web-platform globals that exist in every runtime shared code runs in (Node 20, Chromium,
 * Electron). Declared here, narrowly, because tsconfig.shared.json includes neither DOM nor Node types.
 */
declare global {
  class URL {
    constructor(input: string, base?: string);
    readonly protocol: string;
    readonly username: string;
    readonly password: string;
    readonly hostname: string;
    readonly pathname: string;
    readonly href: string;
    readonly origin: string;
    readonly search: string;
    readonly hash: string;
  }
  class URLSearchParams {
    constructor();
    append(name: string, value: string): void;
    toString(): string;
  }
}
export {};
