/** What the workers reuse from the downloads & mirrors area (re-exported by the API's index.ts). */
import { MirrorProbeService } from './mirror-probe.service';
import { ReleaseImportService } from './release-import.service';

export { MirrorProbeService, ReleaseImportService };
/** Services the mirror jobs need in the workers process (they only need the database and the queue). */
export const MIRROR_PROVIDERS = [MirrorProbeService, ReleaseImportService];
