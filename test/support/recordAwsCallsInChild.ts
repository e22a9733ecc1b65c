import { installAwsCallRecorder } from './awsCallRecorder';

// Loaded with `node --import` ahead of a task (awsCallRecorder.ts: recordingChild).
installAwsCallRecorder();
