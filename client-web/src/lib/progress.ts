// REST calls of a candidate's profile, progress and the preparation tools (issue 20;
// docs/progress.md). Session-cookie routes: lib/api.ts adds the CSRF header to changes.

import {
  AttachProfileLoopRequestSchema,
  CandidateProfileSchema,
  ClaimProfileRequestSchema,
  CreateProfileRequestSchema,
  ListProfilesResponseSchema,
  ListStoriesResponseSchema,
  ProfileHandoverSchema,
  ProgressResponseSchema,
  SelfAssessmentFormSchema,
  SelfAssessmentSchema,
  SetMentorsRequestSchema,
  StoryDraftSchema,
  StoryGuideSchema,
  StorySchema,
  SubmitAssessmentRequestSchema,
  type StoryDraft,
} from '../gen/progress_pb';
import { bodyOf, call } from './api';

const p = (pid: string) => `/api/profiles/${encodeURIComponent(pid)}`;

export const progressApi = {
  form: () => call(SelfAssessmentFormSchema, 'GET', '/api/prep/self-assessment'),
  guide: () => call(StoryGuideSchema, 'GET', '/api/prep/story-guide'),
  ownProfile: () => call(CandidateProfileSchema, 'POST', '/api/me/profile'),
  profiles: () => call(ListProfilesResponseSchema, 'GET', '/api/profiles'),
  createProfile: (name: string) => call(CandidateProfileSchema, 'POST', '/api/profiles', undefined, bodyOf(CreateProfileRequestSchema, { name })),
  setMentors: (pid: string, emails: string[]) => call(CandidateProfileSchema, 'PUT', `${p(pid)}/mentors`, undefined, bodyOf(SetMentorsRequestSchema, { emails })),
  attachLoop: (pid: string, loopId: string) => call(CandidateProfileSchema, 'POST', `${p(pid)}/loops`, undefined, bodyOf(AttachProfileLoopRequestSchema, { loopId })),
  progress: (pid: string) => call(ProgressResponseSchema, 'GET', `${p(pid)}/progress`),
  assess: (pid: string, ratings: number[]) => call(SelfAssessmentSchema, 'POST', `${p(pid)}/assessments`, undefined, bodyOf(SubmitAssessmentRequestSchema, { ratings })),
  stories: (pid: string) => call(ListStoriesResponseSchema, 'GET', `${p(pid)}/stories`),
  addStory: (pid: string, d: StoryDraft) => call(StorySchema, 'POST', `${p(pid)}/stories`, undefined, bodyOf(StoryDraftSchema, d)),
  updateStory: (pid: string, sid: string, d: StoryDraft) => call(StorySchema, 'PUT', `${p(pid)}/stories/${encodeURIComponent(sid)}`, undefined, bodyOf(StoryDraftSchema, d)),
  handover: (pid: string) => call(ProfileHandoverSchema, 'POST', `${p(pid)}/handover`),
  claim: (code: string) => call(CandidateProfileSchema, 'POST', '/api/me/profile/claim', undefined, bodyOf(ClaimProfileRequestSchema, { code })),
  deleteStory: (pid: string, sid: string) => call(ListStoriesResponseSchema, 'DELETE', `${p(pid)}/stories/${encodeURIComponent(sid)}`),
};
