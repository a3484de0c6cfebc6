import detector from '../../src/detectors/stale-writeback-wakeup.js';
import { runDetectorTests } from '../helpers/detector-tester.js';

runDetectorTests(detector);
