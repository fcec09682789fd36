// Worker entry of SolverPool (src/parallel/pool.ts): serves pool-handler.ts.
import { handlePoolMessage } from './pool-handler.js';
import { serve } from './workers.js';

serve(handlePoolMessage);
