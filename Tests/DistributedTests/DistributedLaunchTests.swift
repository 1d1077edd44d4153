import Distributed
import Testing

struct DistributedLaunchTests {
    @Test func mpirunIsRecognizedWithItsWorldSize() {
        let launch = DistributedLaunch.detect(environment: ["OMPI_COMM_WORLD_SIZE": "4", "OMPI_COMM_WORLD_RANK": "1"])
        #expect(launch == .mpi(launcher: "mpirun (OMPI_COMM_WORLD_SIZE=4)", expectedWorldSize: 4))
    }

    @Test func srunStepsOfSeveralTasksAreRecognized() {
        let launch = DistributedLaunch.detect(environment: ["SLURM_STEP_NUM_TASKS": "8", "SLURM_PROCID": "3"])
        #expect(launch == .mpi(launcher: "srun (SLURM_STEP_NUM_TASKS=8)", expectedWorldSize: 8))
    }

    /// A Slurm batch script, or `srun -n 1`, is one task: `hone` run there trains alone.
    @Test func aSlurmJobOfOneTaskStaysASingleProcess() {
        #expect(DistributedLaunch.detect(environment: ["SLURM_PROCID": "0", "SLURM_JOB_ID": "77"]) == .singleProcess)
        #expect(DistributedLaunch.detect(environment: ["SLURM_STEP_NUM_TASKS": "1", "SLURM_PROCID": "0"]) == .singleProcess)
    }

    @Test func pmixAndPMILaunchersAreRecognized() {
        #expect(DistributedLaunch.detect(environment: ["PMIX_RANK": "2"])
                == .mpi(launcher: "a PMIx launcher (PMIX_RANK=2)", expectedWorldSize: nil))
        #expect(DistributedLaunch.detect(environment: ["PMI_RANK": "0", "PMI_SIZE": "6"])
                == .mpi(launcher: "a PMI launcher (PMI_RANK=0)", expectedWorldSize: 6))
    }

    @Test func withoutALauncherTheCommunicatorIsASingleProcess() throws {
        let launch = DistributedLaunch.detect(environment: ["PATH": "/usr/bin", "OMP_NUM_THREADS": "2"])
        #expect(launch == .singleProcess)
        let communicator = try launch.communicator()
        #expect(communicator is SingleProcessCommunicator)
        #expect(communicator.rankDescription == "rank 0 of 1")
    }
}
