import { SigsService } from '../sigs/sigs.service';
import { GovLifecycleService } from './gov-lifecycle.service';

/** What the workers need to open and close votes: the lifecycle and the SIG changes it applies. */
export const GOVERNANCE_PROVIDERS = [GovLifecycleService, SigsService];
