/**
 * The workflow code of an earlier release, bundled as its workers ran it: the commit's own tree from git
 * (workflows/, domain/ and what they import), with this checkout's node_modules. The upgrade test starts
 * orders on it and the replay gate replays what it recorded; an operator can bundle a deployed release the
 * same way to replay production histories against the next one.
 *
 *   node dist/scripts/release-bundle.js [<git ref>] <out.js>   (ref: the release before the newest workflow change)
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../worker/observability';

/** What workflow code is made of: a change to any of these is a change to what orders replay. */
export const WORKFLOW_CODE_PATHS = ['workflows', 'domain'];

function git(args: string[], cwd: string): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? error).trim();
    throw new Error(`git ${args.join(' ')} failed (is this a clone with its history?): ${stderr}`);
  }
}

/** The repository this file belongs to (the source tree, or the one dist/ was built in). */
export function repositoryRoot(): string {
  return git(['rev-parse', '--show-toplevel'], __dirname);
}

export interface Release {
  /** The commit whose workflow code release N ran. */
  commit: string;
  /** The newest change to the workflow code after it (N+1's), one line. */
  changedBy: string;
}

/**
 * Release N for an upgrade to HEAD: the commit just before the newest first-parent commit that changed the
 * workflow code, so that N and HEAD differ in exactly what the upgrade must survive.
 */
export function previousWorkflowRelease(root = repositoryRoot()): Release {
  const change = git(
    ['log', '-1', '--first-parent', '--format=%H %s', 'HEAD', '--', ...WORKFLOW_CODE_PATHS],
    root,
  );
  if (!change)
    throw new Error(`no commit in this clone's history changes ${WORKFLOW_CODE_PATHS.join(' or ')}`);
  const [hash = '', ...subject] = change.split(' ');
  const commit = git(['rev-parse', '--verify', `${hash}^1`], root);
  return { commit, changedBy: `${hash.slice(0, 8)} ${subject.join(' ')}` };
}

/** Whether a commit's workflow code is the same as HEAD's (then there is nothing to upgrade). */
export function sameWorkflowCode(commit: string, root = repositoryRoot()): boolean {
  const trees = (ref: string) =>
    WORKFLOW_CODE_PATHS.map((dir) => {
      try {
        return git(['rev-parse', `${ref}:${dir}`], root);
      } catch {
        return 'absent';
      }
    }).join(' ');
  return trees(commit) === trees('HEAD');
}

/** Bundles the workflow code of `commit` (with the interceptor modules it has of today's) into `outFile`. */
export async function bundleWorkflowsAt(
  commit: string,
  outFile: string,
  root = repositoryRoot(),
): Promise<void> {
  const tree = mkdtempSync(path.join(tmpdir(), 'oms-release-'));
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', commit], {
      cwd: root,
      maxBuffer: 512 * 1024 * 1024,
    });
    execFileSync('tar', ['-x', '-C', tree], { input: archive });
    symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
    const interceptors = WORKFLOW_INTERCEPTOR_MODULES.map((module) =>
      path.join(tree, 'workflows', `${path.basename(module).replace(/\.(js|ts)$/, '')}.ts`),
    ).filter((module) => existsSync(module));
    const { code } = await bundleWorkflowCode({
      workflowsPath: path.join(tree, 'workflows', 'index.ts'),
      workflowInterceptorModules: interceptors,
      logger: { trace() {}, debug() {}, info() {}, log() {}, warn() {}, error: (m) => console.error(m) },
    });
    writeFileSync(outFile, code);
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outFile = args.at(-1);
  if (!outFile || args.length > 2) throw new Error('usage: release-bundle.js [<git ref>] <out.js>');
  const root = repositoryRoot();
  const commit =
    args.length === 2 ? git(['rev-parse', '--verify', args[0]!], root) : previousWorkflowRelease(root).commit;
  await bundleWorkflowsAt(commit, path.resolve(outFile), root);
  console.log(`${outFile}: the workflow code of ${commit.slice(0, 8)}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
