// Playbook parity (module cases, a–l): tsible against references recorded from ansible-playbook 2.14.
import { declareParitySuite } from './lib/suite';

declareParitySuite((id) => id.startsWith('modules/') && id.slice(8, 9) < 'm', 'module parity (a-l) with ansible-playbook 2.14');
