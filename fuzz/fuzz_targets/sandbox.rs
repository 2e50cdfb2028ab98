//! What a parser child does with whatever comes down its pipe: the frame decoder (a broken or
//! hostile peer must give an error, never a panic or an allocation it claims), then the child's
//! task dispatcher over the rest of the input as a resume, an image or a job page. The answer
//! must be the one the task asks for, so the server can always tell a verdict from a broken
//! child.
#![no_main]

use careerhub::images::Output;
use careerhub::resumes::text::DocumentKind;
use careerhub::sandbox::child;
use careerhub::sandbox::protocol::{Answer, Task, read_frame};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    careerhub_fuzz::contain_third_party_panics();
    let _ = read_frame::<Task>(&mut &data[..]);
    let Some((&which, document)) = data.split_first() else {
        return;
    };
    let task = match which % 4 {
        0 => Task::ResumeText {
            kind: DocumentKind::Pdf,
        },
        1 => Task::ResumeText {
            kind: DocumentKind::Docx,
        },
        2 => Task::Images {
            outputs: vec![Output { max_side: Some(256) }, Output { max_side: None }],
        },
        _ => Task::JobPage {
            url: "https://jobs.example.com/postings/42".into(),
        },
    };
    let expects_images = matches!(task, Task::Images { .. });
    let (answer, payload) = child::run(task, document.to_vec());
    match answer {
        Answer::Text { .. } | Answer::Page { .. } => assert!(payload.is_empty()),
        Answer::Images { result: Ok(infos), .. } => {
            assert!(expects_images);
            assert_eq!(infos.len(), 2);
            assert_eq!(infos.iter().map(|i| i.len).sum::<usize>(), payload.len());
        }
        Answer::Images { result: Err(_), .. } => assert!(payload.is_empty()),
        other => panic!("a task answered {other:?}"),
    }
});
