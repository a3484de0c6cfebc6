import detector from '../../src/detectors/writeback-from-direct-reclaim.js';
import { runDetectorTests } from '../helpers/detector-tester.js';

runDetectorTests(detector);
