// Playbook parity (engine cases): tsible against references recorded from ansible-playbook 2.14.
import { declareParitySuite } from './lib/suite';

declareParitySuite((id) => !id.startsWith('modules/'), 'engine parity with ansible-playbook 2.14');
