/**
 * Where flow's configuration lives: `./.flow` of the working directory, then `~/.flow`. Kept apart
 * from config.ts (which loads a YAML parser) so that a command can see whether there is any file
 * to read before it pays for reading one (`flow compile`'s cold start).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** The configuration folders, nearest first (the project's, then the user's, once each). */
export function configDirs(env: Readonly<Record<string, string | undefined>>, cwd: string): string[] {
  const dirs = [resolve(cwd, ".flow")];
  const home = env.HOME;
  if (home) {
    const user = resolve(home, ".flow");
    if (user !== dirs[0]) dirs.push(user);
  }
  return dirs;
}

/** The files that may hold settings or the API key. */
export const CONFIG_FILES: readonly string[] = ["credentials.yaml", "config.yaml"];

/** Whether any configuration file exists (no file: nothing to read, no key to find). */
export function anyConfigFile(env: Readonly<Record<string, string | undefined>>, cwd: string): boolean {
  return configDirs(env, cwd).some((dir) => CONFIG_FILES.some((name) => existsSync(join(dir, name))));
}
