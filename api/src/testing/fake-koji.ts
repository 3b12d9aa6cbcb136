/** The fake Koji hub lives in infra/fakes (also run as a process by the bench and the demo). */
export { FakeKoji, KOJI_STATE, type FakeBuild } from '../../../infra/fakes/koji';
