import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../config/config';

/** Where attachment bytes live. The database keeps metadata and the key; swapping to S3 is one class. */
export abstract class AttachmentStorage {
  abstract put(data: Buffer): Promise<{ key: string; sha256: string }>;
  abstract get(key: string): Promise<Buffer>;
  abstract remove(key: string): Promise<void>;
}

/** Files under DATA_DIR/attachments/<2 hex>/<uuid>; keys are generated here, never from user input. */
@Injectable()
export class DiskAttachmentStorage extends AttachmentStorage {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.root = resolve(config.dataDir, 'attachments');
  }

  private path(key: string): string {
    if (!/^[0-9a-f]{2}\/[0-9a-f-]{36}$/.test(key)) throw new Error(`invalid attachment key ${key}`);
    return join(this.root, key);
  }

  async put(data: Buffer): Promise<{ key: string; sha256: string }> {
    const id = randomUUID();
    const key = `${id.slice(0, 2)}/${id}`;
    await mkdir(join(this.root, id.slice(0, 2)), { recursive: true });
    await writeFile(this.path(key), data, { flag: 'wx' });
    return { key, sha256: createHash('sha256').update(data).digest('hex') };
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.path(key));
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
