/**
 * A process killed in the middle of an import (SIGKILL: no cleanup runs) must leave a project
 * that opens, keeps every image committed before the kill with its thumbnail, and finishes the
 * job when the same import is run again.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { thumbnailPath } from '../../electron/backend/media/asset-paths.js';
import { noiseImage } from '../../electron/backend/import/test-images.js';
import { Project } from '../../electron/storage/project.js';
import { CLI } from './support/serve.js';

const COUNT = 400;

describe('an import killed midway', () => {
  it('keeps what was committed and completes on the next run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rt-kill-'));
    const folder = join(root, 'images');
    mkdirSync(folder);
    for (let i = 0; i < COUNT; i++) writeFileSync(join(folder, `${String(i).padStart(4, '0')}.jpg`), await noiseImage('jpeg', 160, 120, i + 1));
    const dir = join(root, 'project');
    expect(spawnSync(process.execPath, [CLI, 'init', dir]).status).toBe(0);

    // Kill the import as soon as the first batch is in the database.
    const child = spawn(process.execPath, [CLI, 'import', dir, '--folder', folder], { stdio: 'ignore' });
    const killedAt = await new Promise<number>((resolve, reject) => {
      const poll = setInterval(() => {
        const project = Project.open(dir);
        const count = project.images.count();
        project.dispose();
        if (count > 0) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve(count);
        }
      }, 50);
      child.on('exit', () => {
        clearInterval(poll);
        reject(new Error('the import finished before it could be killed; raise COUNT'));
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));

    const project = Project.open(dir);
    const survivors = project.images.count();
    expect(survivors).toBeGreaterThanOrEqual(killedAt);
    expect(survivors).toBeLessThan(COUNT);
    for (let id = 1; id <= survivors; id++) expect(existsSync(thumbnailPath(project.assetsDir, id)), `thumbnail ${id}`).toBe(true);
    project.dispose();

    const again = spawnSync(process.execPath, [CLI, 'import', dir, '--folder', folder], { encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Imported ${COUNT - survivors} image(s)`);
    expect(again.stdout).toContain(`${survivors} already in the project`);
    const done = Project.open(dir);
    expect(done.images.count()).toBe(COUNT);
    done.dispose();
  });
});
