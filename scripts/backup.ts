/**
 * `npm run backup`: writes one archive of the running system (application database and Temporal's state)
 * into OMS_BACKUP_DIR and prints where it is.
 */
import { loadConfig, type AppConfig } from '../config/config';
import { BackupError, backupSources, createBackup } from '../ops/backup';
import { connectClient } from '../ops/temporal-connection';

/** The Temporal server's version for the manifest, or null when it does not answer within 3 s. */
export async function temporalServerVersion(temporal: AppConfig['temporal']): Promise<string | null> {
  try {
    const connection = await connectClient(temporal, { connectTimeout: '3s' });
    try {
      return (await connection.workflowService.getSystemInfo({})).serverVersion || null;
    } finally {
      await connection.close();
    }
  } catch {
    return null;
  }
}

async function run(): Promise<void> {
  const config = loadConfig();
  const backup = await createBackup(backupSources(config), {
    trigger: 'command',
    temporalServer: await temporalServerVersion(config.temporal),
  });
  console.log(backup.file);
  for (const part of backup.manifest.parts)
    console.log(`  ${part.file.padEnd(26)} ${String(part.bytes).padStart(12)} bytes  sha256 ${part.sha256}`);
  if (backup.manifest.temporal.persistence === 'none')
    console.log(
      "  (Temporal's state is not included: set OMS_TEMPORAL_DATABASE_URL for an external Temporal on PostgreSQL)",
    );
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(
      `backup failed: ${error instanceof BackupError || error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  });
}
