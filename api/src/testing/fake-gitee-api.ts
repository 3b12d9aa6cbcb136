/** The fake Gitee API v5 lives in infra/fakes (also run as a process by the bench and the demo). */
export {
  FakeGiteeApi,
  giteeSignature,
  pushHookPayload,
  sendPushHook,
  type FakeGiteeFaults,
  type FakeRepo,
  type PushHookInput,
} from '../../../infra/fakes/gitee';
